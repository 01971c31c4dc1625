package program

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/customer"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// MigrationTargets are the cloud resellers a solution provider's
// customers may move to (§12.3.2, R76): active resellers of the same legal
// entity (same credit code; "the same company group" is read as the same
// entity, inferred), by id with their names.
func (s Service) MigrationTargets(ctx context.Context, p *access.Principal, row *partner.DirectoryRow) (_ []partner.Partner, err error) {
	defer apperr.Wrap(&err, "program.MigrationTargets(%d)", row.ID)
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	if !slices.Contains(splitIdentities(row.Identities), SolutionProvider) {
		return nil, nil
	}
	return partner.Store{DB: s.DB}.SameEntityWith(ctx, row.ID, CloudReseller)
}

// MigrateCustomers is 迁移客户至云经销商 (§12.3.2, R76): vendor staff who
// may see the solution provider move the customers named by account (one
// per line) to one of its MigrationTargets, in one transaction through
// customer.Service.Migrate. It returns how many moved.
func (s Service) MigrateCustomers(ctx context.Context, p *access.Principal, customers *customer.Service, fromID, toID int64, accounts string) (n int, err error) {
	defer apperr.Wrap(&err, "program.MigrateCustomers(%d→%d)", fromID, toID)
	uid, err := p.Staff()
	if err != nil {
		return 0, err
	}
	row, err := partner.Directory{DB: s.DB}.Get(ctx, p, fromID)
	if err != nil {
		return 0, err
	}
	targets, err := s.MigrationTargets(ctx, p, row)
	if err != nil {
		return 0, err
	}
	if !slices.ContainsFunc(targets, func(t partner.Partner) bool { return t.ID == toID }) {
		return 0, apperr.FieldError("to", "program.err.migrate_target")
	}
	lines := strings.FieldsFunc(accounts, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == '，' })
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		// The two partners in id order, then the customers (Migrate).
		for _, id := range []int64{min(fromID, toID), max(fromID, toID)} {
			if err := (partner.Store{DB: tx}).Lock(ctx, id, "NO KEY UPDATE"); err != nil {
				return err
			}
		}
		if sp, err := Active(ctx, tx, fromID, SolutionProvider); err != nil || sp == nil {
			if err == nil {
				err = apperr.Conflict("program.err.migrate_source")
			}
			return err
		}
		// The target again, under the locks: still a reseller of the entity.
		still, err := partner.Store{DB: tx}.SameEntityWith(ctx, fromID, CloudReseller)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(still, func(t partner.Partner) bool { return t.ID == toID }) {
			return apperr.FieldError("to", "program.err.migrate_target")
		}
		n, err = customers.Migrate(ctx, tx, customer.Migration{From: fromID, To: toID, Accounts: lines, ActorUserID: uid, At: s.now()})
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: s.now(), PartnerID: fromID, Action: "program.migrate_customers", ObjectType: "partner",
			ObjectID: fromID, After: map[string]any{"to_partner_id": toID, "customers": n}})
	})
	return n, err
}
