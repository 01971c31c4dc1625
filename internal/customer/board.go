package customer

import (
	"context"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
)

// BoardMonths is how many months 客户看板 shows.
const BoardMonths = 12

// MonthCount is one month of 客户看板: associations made and ended.
type MonthCount struct {
	Period time.Time
	New    int64
	Ended  int64
}

// Board is 客户看板 (§12.1.9.17; build-plan 3.D, inferred content): the
// associated customers by association type, associations made and ended
// per month over BoardMonths months, and the requests waiting — in the
// actor's customer scope (a customer manager: its customers).
type Board struct {
	Resale, Consulting int64
	Months             []MonthCount
	PendingRequests    int64
}

// Board reads 客户看板 of the actor's tenant.
func (s *Service) Board(ctx context.Context, p *access.Principal) (_ *Board, err error) {
	defer apperr.Wrap(&err, "customer.Board")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	today := clock.ChinaDate(s.now())
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	from := month.AddDate(0, 1-BoardMonths, 0)
	scope, args := p.ManagerCondition("a.manager_user_id")
	where := "a.partner_id = ?"
	all := []any{pid}
	if scope != "" {
		where += " AND " + scope
		all = append(all, args...)
	}
	b := &Board{}
	var modes []struct {
		Mode string
		N    int64
	}
	if err := s.DB.WithContext(ctx).Raw(`SELECT a.mode, count(*) AS n FROM associations a WHERE `+where+` AND a.status = 'active'
		GROUP BY a.mode`, all...).Scan(&modes).Error; err != nil {
		return nil, err
	}
	for _, m := range modes {
		if m.Mode == "resale" {
			b.Resale = m.N
		} else {
			b.Consulting = m.N
		}
	}
	var months []struct {
		Period string
		New    int64
		Ended  int64
	}
	if err := s.DB.WithContext(ctx).Raw(`
		SELECT to_char(m, 'YYYY-MM-DD') AS period,
		       count(*) FILTER (WHERE a.associated_at >= m AND a.associated_at < m + interval '1 month') AS new,
		       count(*) FILTER (WHERE a.ended_at >= m AND a.ended_at < m + interval '1 month') AS ended
		FROM generate_series(?::date, ?::date, interval '1 month') m
		LEFT JOIN associations a ON `+where+` AND (a.associated_at >= ?::date OR a.ended_at >= ?::date)
		GROUP BY m ORDER BY m`, append(append([]any{from, month}, all...), from, from)...).Scan(&months).Error; err != nil {
		return nil, err
	}
	for _, m := range months {
		t, _ := time.Parse(time.DateOnly, m.Period)
		b.Months = append(b.Months, MonthCount{Period: t, New: m.New, Ended: m.Ended})
	}
	reqScope, reqArgs := p.CustomerCondition("r.customer_id")
	q := s.DB.WithContext(ctx).Table("association_requests r").Where("r.partner_id = ? AND r.status = 'pending'", pid)
	if reqScope != "" {
		q = q.Where(reqScope, reqArgs...)
	}
	err = q.Count(&b.PendingRequests).Error
	return b, err
}
