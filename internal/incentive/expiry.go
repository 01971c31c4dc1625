package incentive

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/audit"
	"partnercenter/internal/events"
	"partnercenter/internal/identity"
	"partnercenter/internal/notify"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/money"
	"partnercenter/internal/program"
)

// Expiry and netting (seed 003 §12.1.5.20, §12.1.5.35–36, R37–R39;
// build-plan WP4): an incentive is valid from its notification; when the
// partner leaves the solution-provider and distribution programmes it
// stays valid for a year after the identity lapsed, then expires and
// cannot be restored. Negatives never expire. When a positive expires
// while unapplied negatives exist, both are written off as 已失效 and the
// rest of the negatives becomes a new negative: +200 expiring against
// −600 leaves −400 (the seed's example). A negative that arises after the
// positive expired is not netted (it did not exist when the job ran). When
// the positives cover the negatives, the negatives are fully offset and
// the rest of the positive is lost.

// ValidYears is how long incentives stay valid after the programme
// identity lapsed (§12.1.5.20).
const ValidYears = 1

// RemainderName is the name of the negative a netting leaves.
const RemainderName = "冲抵后负向激励"

// Netting is one expiry: the positives that expired, the negatives they
// offset, and the negative left (zero: none).
type Netting struct {
	ID        int64
	PartnerID int64
	At        time.Time
	Positive  decimal.Decimal
	Negative  decimal.Decimal
	Remainder decimal.Decimal
}

// TableName maps Netting to incentive_nettings.
func (Netting) TableName() string { return "incentive_nettings" }

// Expire is the daily job: it dates the pending positive incentives of
// partners whose programme identities lapsed (a year later; cleared when
// the partner is back in a programme), then nets every partner's due
// ones. It returns how many nettings it wrote.
func (s Service) Expire(ctx context.Context) (n int, err error) {
	defer apperr.Wrap(&err, "incentive.Expire")
	lapses, err := program.Lapses(ctx, s.DB)
	if err != nil {
		return 0, err
	}
	lapsed := make([]int64, 0, len(lapses))
	for pid, at := range lapses {
		lapsed = append(lapsed, pid)
		until := at.AddDate(ValidYears, 0, 0)
		if err := s.DB.WithContext(ctx).Model(&Item{}).
			Where("partner_id = ? AND status = ? AND amount > 0 AND expires_at IS DISTINCT FROM ?", pid, ItemPending, until).
			Update("expires_at", until).Error; err != nil {
			return 0, err
		}
	}
	back := s.DB.WithContext(ctx).Model(&Item{}).Where("status = ? AND expires_at IS NOT NULL", ItemPending)
	if len(lapsed) > 0 {
		back = back.Where("partner_id NOT IN ?", lapsed)
	}
	if err := back.Update("expires_at", nil).Error; err != nil {
		return 0, err
	}
	now := s.now()
	var due []int64
	if err := s.DB.WithContext(ctx).Model(&Item{}).Distinct("partner_id").
		Where("status = ? AND amount > 0 AND expires_at <= ?", ItemPending, now).Order("partner_id").Pluck("partner_id", &due).Error; err != nil {
		return 0, err
	}
	for _, pid := range due {
		done, err := s.net(ctx, pid, now)
		if err != nil {
			return n, err
		}
		if done {
			n++
		}
	}
	return n, nil
}

// net expires a partner's due positives against its pending negatives in
// one transaction, under row locks on its pending incentives (id order,
// as Apply takes them).
func (s Service) net(ctx context.Context, pid int64, now time.Time) (bool, error) {
	done := false
	err := db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var items []Item
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("partner_id = ? AND status = ?", pid, ItemPending).Order("id").Find(&items).Error; err != nil {
			return err
		}
		nt := Netting{PartnerID: pid, At: now}
		var off []int64
		for _, it := range items {
			if it.Amount.IsPositive() && it.ExpiresAt != nil && !it.ExpiresAt.After(now) {
				nt.Positive = nt.Positive.Add(it.Amount)
				off = append(off, it.ID)
			}
		}
		if len(off) == 0 {
			return nil // applied meanwhile
		}
		for _, it := range items {
			if it.Amount.IsNegative() {
				nt.Negative = nt.Negative.Add(it.Amount)
				off = append(off, it.ID)
			}
		}
		nt.Remainder = decimal.Min(nt.Positive.Add(nt.Negative), decimal.Zero)
		if err := tx.WithContext(ctx).Create(&nt).Error; err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(&Item{}).Where("id IN ?", off).
			Updates(map[string]any{"status": ItemExpired, "expired_at": now, "netting_id": nt.ID}).Error; err != nil {
			return err
		}
		if nt.Remainder.IsNegative() {
			if err := tx.WithContext(ctx).Create(&Item{PartnerID: pid, Name: RemainderName, Amount: nt.Remainder, GeneratedAt: now,
				Status: ItemPending, NettingID: &nt.ID, Origin: "netting"}).Error; err != nil {
				return err
			}
		}
		after := map[string]any{"positive": nt.Positive.StringFixed(2), "negative": nt.Negative.StringFixed(2),
			"remainder": nt.Remainder.StringFixed(2), "incentives": len(off)}
		if err := audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "incentive.expired", ObjectType: "incentive_netting",
			ObjectID: nt.ID, After: after}); err != nil {
			return err
		}
		if err := events.Record(ctx, tx, pid, events.IncentiveExpired, now, after); err != nil {
			return err
		}
		to, err := identity.Users{DB: tx}.MainAccountID(ctx, pid)
		if err != nil {
			return err
		}
		done = true
		return notify.Send(ctx, tx, notify.Note{To: to, Partner: pid, Subject: "incentive.msg.expired.subject", Body: "incentive.msg.expired.body",
			Params: map[string]any{"Positive": money.Grouped(nt.Positive, 2), "Negative": money.Grouped(nt.Negative, 2),
				"Remainder": money.Grouped(nt.Remainder, 2)}, Link: "/incentives/payouts#expired", At: now})
	})
	return done, err
}

// Nettings lists the actor's tenant's nettings with their incentives,
// newest first (the page's 失效与冲抵记录).
func (s Service) nettings(ctx context.Context, pid int64) ([]Netting, map[int64][]Item, error) {
	var ns []Netting
	if err := s.DB.WithContext(ctx).Where("partner_id = ?", pid).Order("at DESC, id DESC").Limit(50).Find(&ns).Error; err != nil {
		return nil, nil, err
	}
	items := map[int64][]Item{}
	if len(ns) == 0 {
		return ns, items, nil
	}
	ids := make([]int64, len(ns))
	for i := range ns {
		ids[i] = ns[i].ID
	}
	var rows []Item
	if err := s.DB.WithContext(ctx).Where("netting_id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
		return nil, nil, err
	}
	for _, it := range rows {
		items[*it.NettingID] = append(items[*it.NettingID], it)
	}
	return ns, items, nil
}

// ExpireArgs is the daily expiry and netting job.
type ExpireArgs struct{}

// Kind names the job in River's table.
func (ExpireArgs) Kind() string { return "incentive_expire" }

// ExpireWorker runs it.
type ExpireWorker struct {
	river.WorkerDefaults[ExpireArgs]
	Service Service
}

// Work expires at the service's clock.
func (w *ExpireWorker) Work(ctx context.Context, _ *river.Job[ExpireArgs]) error {
	_, err := w.Service.Expire(ctx)
	return err
}
