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
	// Lock the associations in id order (then each customer), so two
	// migrations of overlapping batches wait for each other.
	var as []Association
	if err := tx.WithContext(ctx).Clauses(forUpdate()).Table("associations a").Select("a.*").
		Joins("JOIN customers c ON c.id = a.customer_id").
		Where("a.partner_id = ? AND a.status = ? AND c.account_name IN ?", m.From, AssociationActive, accounts).
		Order("a.id").Find(&as).Error; err != nil {
		return 0, err
	}
	if len(as) != len(accounts) {
		found := map[int64]bool{}
		for _, a := range as {
			found[a.CustomerID] = true
		}
		var cs []Customer
		if err := tx.WithContext(ctx).Where("account_name IN ?", accounts).Find(&cs).Error; err != nil {
			return 0, err
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
		var c Customer
		if err := tx.WithContext(ctx).Clauses(forUpdate()).First(&c, a.CustomerID).Error; err != nil {
			return 0, notFoundIf(err)
		}
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
