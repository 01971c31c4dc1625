package customer

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/platform/apperr"
)

// RequestMigrate is a customer moved by the vendor from a solution
// provider to a cloud reseller of the same company (seed 003 §12.3.2, R76).
const RequestMigrate = "migrate"

// MaxMigrate is the most customers one migration moves.
const MaxMigrate = 500

// Migration is a vendor's bulk move of customers between two partners.
type Migration struct {
	From, To    int64
	Accounts    []string // the customers' account names
	ActorUserID int64
	At          time.Time
}

// Migrate moves customers of m.From to m.To in one transaction (tx, the
// caller's: it checks that the partners may migrate). Each customer's
// association with m.From ends through a completed 'migrate' request (a
// resale customer's balance goes back to m.From as on unbinding) and a new
// one with m.To starts in the same mode through a completed 'associate'
// request initiated by the system — both through apply, the one place of
// association transitions. An account that is not an active customer of
// m.From, or that has a request pending, refuses the whole batch with its
// name. It returns how many moved.
func (s *Service) Migrate(ctx context.Context, tx *gorm.DB, m Migration) (_ int, err error) {
	defer apperr.Wrap(&err, "customer.Migrate(%d→%d)", m.From, m.To)
	accounts := make([]string, 0, len(m.Accounts))
	for _, a := range m.Accounts {
		if a = strings.TrimSpace(a); a != "" && !slices.Contains(accounts, a) {
			accounts = append(accounts, a)
		}
	}
	switch {
	case len(accounts) == 0:
		return 0, apperr.FieldError("accounts", "customer.err.migrate_none")
	case len(accounts) > MaxMigrate:
		return 0, apperr.FieldError("accounts", "customer.err.migrate_too_many")
	}
	// The customers are locked first, in id order (as a customer's own
	// requests lock them), then their associations.
	var cids []int64
	if err := tx.WithContext(ctx).Model(&Customer{}).Where("account_name IN ?", accounts).Order("id").Pluck("id", &cids).Error; err != nil {
		return 0, err
	}
	var cs []Customer
	if err := tx.WithContext(ctx).Clauses(forUpdate()).Where("id IN ?", append(cids, 0)).Order("id").Find(&cs).Error; err != nil {
		return 0, err
	}
	byID := make(map[int64]*Customer, len(cs))
	for i := range cs {
		byID[cs[i].ID] = &cs[i]
	}
	var as []Association
	if err := tx.WithContext(ctx).Clauses(forUpdate()).Where("partner_id = ? AND status = ? AND customer_id IN ?", m.From,
		AssociationActive, append(cids, 0)).Order("customer_id").Find(&as).Error; err != nil {
		return 0, err
	}
	if len(as) != len(accounts) {
		found := map[int64]bool{}
		for _, a := range as {
			found[a.CustomerID] = true
		}
		known := map[string]bool{}
		for _, c := range cs {
			if found[c.ID] {
				known[c.AccountName] = true
			}
		}
		for _, a := range accounts {
			if !known[a] {
				return 0, apperr.Conflict("customer.err.migrate_not_customer", map[string]any{"Account": a})
			}
		}
	}
	for i := range as {
		a := &as[i]
		c := *byID[a.CustomerID]
		if err := pendingOf(ctx, tx, c.ID); err != nil {
			return 0, apperr.Conflict("customer.err.migrate_pending", map[string]any{"Account": c.AccountName})
		}
		out := &Request{PartnerID: m.From, CustomerID: c.ID, AssociationID: &a.ID, Type: RequestMigrate, Initiator: InitiatorSystem,
			FromMode: ptr(a.Mode), Status: RequestPending, RequestedBy: ptr(m.ActorUserID), RequestedAt: m.At}
		if err := insertRequest(ctx, tx, out); err != nil {
			return 0, err
		}
		if err := s.apply(ctx, tx, &Transition{Request: out, Outcome: RequestCompleted, Customer: &c, Association: a,
			ActorUserID: m.ActorUserID, At: m.At}); err != nil {
			return 0, err
		}
		next := &Association{PartnerID: m.To, CustomerID: c.ID, Mode: a.Mode, Status: AssociationActive, AssociatedAt: m.At}
		if err := tx.WithContext(ctx).Create(next).Error; err != nil {
			return 0, err
		}
		in := &Request{PartnerID: m.To, CustomerID: c.ID, AssociationID: &next.ID, Type: RequestAssociate, Initiator: InitiatorSystem,
			ToMode: ptr(next.Mode), Status: RequestPending, RequestedBy: ptr(m.ActorUserID), RequestedAt: m.At}
		if err := insertRequest(ctx, tx, in); err != nil {
			return 0, err
		}
		if err := s.apply(ctx, tx, &Transition{Request: in, Outcome: RequestCompleted, Customer: &c, Association: next,
			ActorUserID: m.ActorUserID, At: m.At}); err != nil {
			return 0, err
		}
	}
	return len(as), nil
}
