package incentive

import (
	"context"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/events"
	"partnercenter/internal/partner"
	"partnercenter/internal/performance"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Detail is a published bill's line (激励明细).
type Detail struct {
	ID                int64
	BillID            string
	PartnerID         int64
	RecordID          int64
	ResellerPartnerID *int64
	CustomerID        int64
	ProductType       string
	ProductName       string
	FormedAt          time.Time
	Performance       decimal.Decimal
	Mode              string // the line's association type
	Amount            decimal.Decimal
}

// TableName maps Detail to incentive_details.
func (Detail) TableName() string { return "incentive_details" }

// tenantOf is the partner whose incentives a member sees: the one whose
// performance it sees (a cloud reseller has neither, §12.3.4, R75).
func tenantOf(p *access.Principal) (int64, error) { return performance.TenantOf(p) }

// lockBill locks a bill of the actor's (findBill).
func (s Service) lockBill(ctx context.Context, tx *gorm.DB, p *access.Principal, id string) (*Bill, error) {
	return s.findBill(ctx, tx.Clauses(clause.Locking{Strength: "UPDATE"}), p, id)
}

// findBill reads a bill: for a member only its tenant's (another's is
// 404), for vendor staff only a partner it may see.
func (s Service) findBill(ctx context.Context, g *gorm.DB, p *access.Principal, id string) (*Bill, error) {
	if !validUUID(id) {
		return nil, apperr.NotFound()
	}
	q := g.WithContext(ctx).Where("id = ?", id)
	if _, err := p.Staff(); err != nil {
		pid, err := tenantOf(p)
		if err != nil {
			return nil, err
		}
		q = q.Where("partner_id = ?", pid)
	}
	var b Bill
	if err := q.First(&b).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	if _, err := p.Staff(); err == nil {
		if _, err := (partner.Directory{DB: s.DB}).Get(ctx, p, b.PartnerID); err != nil {
			return nil, err
		}
	}
	return &b, nil
}

// validUUID reports the canonical 36-character form (a malformed id in a
// URL is a 404, not a database error).
func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// move changes a bill's state from `from` and audits it.
func (s Service) move(ctx context.Context, tx *gorm.DB, b *Bill, from, to string, extra map[string]any) error {
	if b.Status != from {
		return apperr.Conflict("incentive.err.state")
	}
	upd := map[string]any{"status": to, "updated_at": s.now()}
	for k, v := range extra {
		upd[k] = v
	}
	res := tx.WithContext(ctx).Model(&Bill{}).Where("id = ? AND status = ?", b.ID, from).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return apperr.Conflict("incentive.err.state")
	}
	after := map[string]any{"status": to, "period": b.PeriodCode, "amount": b.Amount.StringFixed(2)}
	if e, ok := extra["publicity_ends_on"].(time.Time); ok {
		after["publicity_ends_on"] = e.Format(time.DateOnly)
	}
	if err := audit.Record(ctx, tx, audit.Change{At: s.now(), PartnerID: b.PartnerID, Action: "incentive." + to,
		ObjectType: "incentive_bill", ObjectKey: b.ID, Before: map[string]any{"status": from}, After: after}); err != nil {
		return err
	}
	return billEvent(ctx, tx, b.PartnerID, b.ID, b.PeriodCode, to, b.Amount, s.now())
}

// billEvent records the webhook-ready event of a bill's new state.
func billEvent(ctx context.Context, tx *gorm.DB, pid int64, id, period, status string, amount decimal.Decimal, at time.Time) error {
	return events.Record(ctx, tx, pid, events.IncentiveBillStatus, at,
		map[string]any{"bill_id": id, "period": period, "status": status, "amount": amount.StringFixed(2)})
}

// Publish is the vendor's 发布公示 of a 预估 bill until endsOn (a date after
// today, China): the bill's lines are written then, its amount allocated
// over the base's performance lines (§12.1.5.4).
func (s Service) Publish(ctx context.Context, p *access.Principal, id, endsOn string) (err error) {
	defer apperr.Wrap(&err, "incentive.Publish(%s)", id)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		b, err := s.lockBill(ctx, tx, p, id)
		if err != nil {
			return err
		}
		end, perr := time.Parse(time.DateOnly, strings.TrimSpace(endsOn))
		if perr != nil || !end.After(clock.ChinaDate(s.now())) {
			return apperr.FieldError("ends_on", "incentive.err.ends_on")
		}
		if b.Status != StateEstimate {
			return apperr.Conflict("incentive.err.state")
		}
		w, err := s.writeLines(ctx, tx, b)
		if err != nil {
			return err
		}
		return s.move(ctx, tx, b, StateEstimate, StatePublicity, map[string]any{"publicity_ends_on": end, "published_at": s.now(),
			"published_by": uid, "association": w.Association, "lines": w.N, "lines_total": w.Sum})
	})
}

// writeLines writes a bill's lines: the calculation's total allocated over
// the base's lines of the period (line × total ÷ Σ lines, half-up to 8
// places, as money.AllocateHalfUp), less what the partner's earlier bills
// of the policy and period gave each line (nothing for the normal bill).
// It returns how many lines it wrote, their sum, and the association type
// when the lines share one.
func (s Service) writeLines(ctx context.Context, tx *gorm.DB, b *Bill) (w written, err error) {
	c := b.Calculation()
	from, to, ok := performance.PeriodRange(b.PeriodCode)
	if !ok {
		return w, apperr.Conflict("incentive.err.state")
	}
	lines := performance.BaseLines(tx, c.BaseDefinitionID, b.PartnerID, from, to)
	var agg struct {
		Sum   decimal.Decimal
		Modes int64
		Mode  string
	}
	if err := tx.WithContext(ctx).Raw(`SELECT coalesce(sum(l.performance), 0) AS sum, count(DISTINCT l.mode) AS modes,
		coalesce(min(l.mode), '') AS mode FROM (?) l`, lines).Scan(&agg).Error; err != nil {
		return w, err
	}
	if agg.Modes == 1 {
		w.Association = agg.Mode
	}
	total := c.Total
	if b.Adjustment == AdjustNormal {
		total = b.Amount
	}
	if agg.Sum.IsZero() || total.IsZero() {
		return w, nil
	}
	// trunc(…, 20) gives the product 20 decimals, so the division keeps
	// them as DivRound(sum, 20) does before the half-up to 8.
	err = tx.WithContext(ctx).Raw(`
		WITH ins AS (INSERT INTO incentive_details (bill_id, partner_id, record_id, reseller_partner_id, customer_id, product_type, product_name,
		    formed_at, performance, mode, amount)
		SELECT ?, ?, l.record_id, l.reseller_partner_id, l.customer_id, l.product_type, l.product_name, l.formed_at, l.performance, l.mode,
		       round(trunc(l.performance * ?::numeric, 20) / ?::numeric, 8) - coalesce(prev.amount, 0)
		FROM (?) l
		LEFT JOIN (SELECT d.record_id, sum(d.amount) AS amount FROM incentive_details d
		           JOIN incentive_bills eb ON eb.id = d.bill_id
		           WHERE eb.partner_id = ? AND eb.policy_id = ? AND eb.period_code = ? AND eb.id <> ?
		           GROUP BY d.record_id) prev ON prev.record_id = l.record_id
		WHERE round(trunc(l.performance * ?::numeric, 20) / ?::numeric, 8) - coalesce(prev.amount, 0) <> 0
		RETURNING amount)
		SELECT count(*) AS n, coalesce(sum(amount), 0) AS sum FROM ins`,
		b.ID, b.PartnerID, total, agg.Sum, lines, b.PartnerID, b.PolicyID, b.PeriodCode, b.ID, total, agg.Sum).Row().Scan(&w.N, &w.Sum)
	return w, err
}

// written is what writeLines wrote.
type written struct {
	N           int64
	Sum         decimal.Decimal
	Association string
}

// Finalize is the vendor's 发布终稿: a bill in publicity waits for the
// partner's confirmation (待确认).
func (s Service) Finalize(ctx context.Context, p *access.Principal, id string) (err error) {
	defer apperr.Wrap(&err, "incentive.Finalize(%s)", id)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		b, err := s.lockBill(ctx, tx, p, id)
		if err != nil {
			return err
		}
		return s.move(ctx, tx, b, StatePublicity, StatePending, map[string]any{"finalized_at": s.now(), "finalized_by": uid})
	})
}

// Confirm is the partner's 确认对账 of a 待确认 bill: its incentives, one
// per association type, are written to be applied for (激励管理).
func (s Service) Confirm(ctx context.Context, p *access.Principal, id string) (err error) {
	defer apperr.Wrap(&err, "incentive.Confirm(%s)", id)
	if _, err := tenantOf(p); err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		b, err := s.lockBill(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if err := s.move(ctx, tx, b, StatePending, StateConfirmed, map[string]any{"confirmed_at": s.now(), "confirmed_by": p.UserID}); err != nil {
			return err
		}
		// Its incentives appear in 激励管理 (§12.1.5.4).
		return itemsOf(ctx, tx, b, s.now())
	})
}
