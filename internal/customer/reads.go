package customer

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/platform/apperr"
)

// Existing reports which of ids are customers (issue 8, "Tables have
// owners": consumption's integrity check asks here which customers its
// lines name). The ids travel as one array parameter, so a set of any
// size is one query.
func (s *Service) Existing(ctx context.Context, ids []int64) (_ map[int64]bool, err error) {
	defer apperr.Wrap(&err, "customer.Existing(%d ids)", len(ids))
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte('}')
	var found []int64
	if err := s.DB.WithContext(ctx).Model(&Customer{}).Where("id = ANY(?::bigint[])", b.String()).Pluck("id", &found).Error; err != nil {
		return nil, err
	}
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}

// Span is one association of a customer: its partner and mode over
// [From, To) (To nil: still associated).
type Span struct {
	PartnerID int64
	Mode      string
	From      time.Time
	To        *time.Time
}

// Associated is a customer found by account name, with every association
// it has had, oldest first.
type Associated struct {
	ID    int64
	Spans []Span
}

// IDsNamed lists the customers of the partners (associated now or once)
// whose name is name or whose account name is name (case-insensitively):
// the 客户名称/账号名 filters of lists keyed by customer id, which then
// walk their own (partner, customer) index.
func (s *Service) IDsNamed(ctx context.Context, partnerIDs []int64, name string) (_ []int64, err error) {
	defer apperr.Wrap(&err, "customer.IDsNamed")
	var out []int64
	err = s.DB.WithContext(ctx).Model(&Customer{}).Where("name = ? OR lower(account_name) = lower(?)", name, name).
		Where("id IN (SELECT customer_id FROM associations WHERE partner_id IN ?)", partnerIDs).Order("id").Pluck("id", &out).Error
	return out, err
}

// ByAccounts finds customers by lower-cased account name with their
// associations (consumption's import resolves each line's partner and
// mode at its transaction time from them). Names of no customer are
// absent from the result.
func (s *Service) ByAccounts(ctx context.Context, accounts []string) (_ map[string]*Associated, err error) {
	defer apperr.Wrap(&err, "customer.ByAccounts(%d)", len(accounts))
	out := map[string]*Associated{}
	if len(accounts) == 0 {
		return out, nil
	}
	var rows []struct {
		Account    string
		CustomerID int64
		PartnerID  *int64
		Mode       *string
		From       *time.Time
		To         *time.Time
	}
	if err := s.DB.WithContext(ctx).Raw(`
		SELECT lower(c.account_name) AS account, c.id AS customer_id, a.partner_id, a.mode,
		       a.associated_at AS "from", a.ended_at AS "to"
		FROM customers c LEFT JOIN associations a ON a.customer_id = c.id
		WHERE lower(c.account_name) IN ?
		ORDER BY c.id, a.associated_at`, accounts).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		c := out[r.Account]
		if c == nil {
			c = &Associated{ID: r.CustomerID}
			out[r.Account] = c
		}
		if r.PartnerID != nil && r.Mode != nil && r.From != nil {
			c.Spans = append(c.Spans, Span{PartnerID: *r.PartnerID, Mode: *r.Mode, From: *r.From, To: r.To})
		}
	}
	return out, nil
}

// At is the association covering t (nil if none).
func (a *Associated) At(t time.Time) *Span {
	for i := range a.Spans {
		s := &a.Spans[i]
		if !s.From.After(t) && (s.To == nil || s.To.After(t)) {
			return s
		}
	}
	return nil
}

// ActiveCounts counts each partner's active associations (its customers
// now), by partner id, from association_counts; partners with none are
// absent (a master distributor's 我的云经销商, build-plan 1.C).
func ActiveCounts(ctx context.Context, g *gorm.DB, partnerIDs []int64) (_ map[int64]int64, err error) {
	defer apperr.Wrap(&err, "customer.ActiveCounts")
	out := map[int64]int64{}
	if len(partnerIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		PartnerID int64
		N         int64
	}
	if err := g.WithContext(ctx).Table("association_counts").Select("partner_id, sum(n) AS n").
		Where("partner_id IN ? AND status = ?", partnerIDs, AssociationActive).Group("partner_id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.PartnerID] = r.N
	}
	return out, nil
}
