package customer

import (
	"context"
	"gorm.io/gorm"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
)

// Load is one customer manager's share of the tenant's active customers.
type Load struct {
	Manager   Manager
	Customers int64
}

// Loads is 客户分配's overview: each customer manager with how many active
// customers it manages, and how many have no manager yet (seed 003
// §7.1.4), in the principal's scope.
func (s *Service) Loads(ctx context.Context, p *access.Principal) (_ []Load, unassigned int64, err error) {
	defer apperr.Wrap(&err, "customer.Loads")
	pid, err := p.Tenant()
	if err != nil {
		return nil, 0, err
	}
	managers, err := s.Managers(ctx, p)
	if err != nil {
		return nil, 0, err
	}
	var rows []struct {
		ManagerUserID *int64
		N             int64
	}
	q := s.DB.WithContext(ctx).Table("associations a").Where("a.partner_id = ? AND a.status = ?", pid, AssociationActive)
	q = scopeAssoc(q, p)
	if err := q.Select("a.manager_user_id, count(*) AS n").Group("a.manager_user_id").Scan(&rows).Error; err != nil {
		return nil, 0, err
	}
	byManager := map[int64]int64{}
	for _, r := range rows {
		if r.ManagerUserID == nil {
			unassigned = r.N
		} else {
			byManager[*r.ManagerUserID] = r.N
		}
	}
	out := make([]Load, 0, len(managers))
	for _, m := range managers {
		out = append(out, Load{Manager: m, Customers: byManager[m.UserID]})
	}
	return out, unassigned, nil
}

// PendingRequests counts the requests waiting for the partner's answer in
// the principal's scope: customers' unbinding applications (同意/驳回, R14;
// the partner's own requests wait for the customer, not for it).
func (s *Service) PendingRequests(ctx context.Context, p *access.Principal) (_ int64, err error) {
	defer apperr.Wrap(&err, "customer.PendingRequests")
	pid, err := p.Tenant()
	if err != nil {
		return 0, err
	}
	var n int64
	q := s.DB.WithContext(ctx).Table("association_requests ar").Joins("LEFT JOIN associations a ON a.id = ar.association_id").
		Where("ar.partner_id = ? AND ar.status = ? AND ar.type = ? AND ar.initiator = ?", pid, RequestPending, RequestUnbind, InitiatorCustomer)
	err = scopeAssoc(q, p).Count(&n).Error
	return n, err
}

// Counts are the home page's customer figures: active customers in the
// principal's scope and those associated since a time (this month).
func (s *Service) Counts(ctx context.Context, p *access.Principal, since time.Time) (active, newSince int64, err error) {
	defer apperr.Wrap(&err, "customer.Counts")
	pid, err := p.Tenant()
	if err != nil {
		return 0, 0, err
	}
	var row struct{ Active, New int64 }
	q := scopeAssoc(s.DB.WithContext(ctx).Table("associations a").Where("a.partner_id = ? AND a.status = ?", pid, AssociationActive), p)
	if err := q.Select("count(*) AS active, count(*) FILTER (WHERE a.associated_at >= ?) AS new", since).Scan(&row).Error; err != nil {
		return 0, 0, err
	}
	return row.Active, row.New, nil
}

// CheckCounts compares association_counts with a count of the associations
// (`partnercenter check`): each difference is one line, none means the
// counters hold.
func CheckCounts(ctx context.Context, g *gorm.DB) ([]string, error) {
	var out []string
	err := g.WithContext(ctx).Raw(`
		SELECT 'association_counts ' || coalesce(t.partner_id, c.partner_id) || '/' || coalesce(t.status, c.status) || '/' ||
		       coalesce(t.mode, c.mode) || '/' || coalesce(t.manager_user_id, c.manager_user_id) || ': counter ' ||
		       coalesce(c.n, 0) || ', associations ' || coalesce(t.n, 0)
		FROM (SELECT partner_id, status, mode, coalesce(manager_user_id, 0) AS manager_user_id, count(*) AS n
		      FROM associations GROUP BY 1, 2, 3, 4) t
		FULL JOIN (SELECT * FROM association_counts WHERE n <> 0) c USING (partner_id, status, mode, manager_user_id)
		WHERE coalesce(t.n, 0) <> coalesce(c.n, 0)`).Scan(&out).Error
	return out, err
}
