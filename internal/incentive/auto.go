package incentive

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Settings are a partner's 自动申请 switch and default method (§12.1.5.29).
type Settings struct {
	PartnerID     int64
	AutoApply     bool
	DefaultMethod string
	UpdatedBy     *int64
	UpdatedAt     time.Time
}

// TableName maps Settings to incentive_settings.
func (Settings) TableName() string { return "incentive_settings" }

// SettingsOf reads the actor's tenant's settings (off, to the account,
// when never set).
func (s Service) SettingsOf(ctx context.Context, p *access.Principal) (_ Settings, err error) {
	defer apperr.Wrap(&err, "incentive.SettingsOf")
	pid, err := tenantOf(p)
	if err != nil {
		return Settings{}, err
	}
	var rows []Settings
	if err := s.DB.WithContext(ctx).Where("partner_id = ?", pid).Limit(1).Find(&rows).Error; err != nil {
		return Settings{}, err
	}
	if len(rows) == 0 {
		return Settings{PartnerID: pid, DefaultMethod: MethodAccount}, nil
	}
	return rows[0], nil
}

// SetAutoApply is the main account's 自动申请 switch with the default
// method of the incentives that need an invoice (bank or account).
func (s Service) SetAutoApply(ctx context.Context, p *access.Principal, on bool, method string) (err error) {
	defer apperr.Wrap(&err, "incentive.SetAutoApply")
	pid, err := tenantOf(p)
	if err != nil {
		return err
	}
	if !p.IsMain {
		return apperr.Forbidden()
	}
	if method != MethodBank && method != MethodAccount && method != MethodVoucherQuota {
		return apperr.FieldError("default_method", ErrMethod)
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		st := Settings{PartnerID: pid, AutoApply: on, DefaultMethod: method, UpdatedBy: &p.UserID, UpdatedAt: s.now()}
		if err := tx.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "partner_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"auto_apply", "default_method", "updated_by", "updated_at"})}).Create(&st).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: s.now(), PartnerID: pid, Action: "incentive.auto_apply", ObjectType: "incentive_setting",
			ObjectID: pid, After: map[string]any{"auto_apply": on, "method": method}})
	})
}

// AutoApply applies, for every partner whose switch is on, its pending
// incentives: the resale ones from October 2023 to the account with the
// invoice owed, the others with the default method — one 申付单 per
// method, the negatives with the first; nothing when the pending total is
// below zero or the business information is not certified. It returns
// how many applications it made. The day's keys make a second run of the
// same day a no-op.
func (s Service) AutoApply(ctx context.Context) (n int, err error) {
	defer apperr.Wrap(&err, "incentive.AutoApply")
	var on []Settings
	if err := s.DB.WithContext(ctx).Where("auto_apply").Order("partner_id").Find(&on).Error; err != nil {
		return 0, err
	}
	day := clock.ChinaDate(s.now()).Format("20060102")
	for _, st := range on {
		var items []Item
		if err := s.DB.WithContext(ctx).Where("partner_id = ? AND status = ?", st.PartnerID, ItemPending).Order("id").Find(&items).Error; err != nil {
			return n, err
		}
		byMethod := map[string][]int64{}
		var order []string
		for _, it := range items {
			if it.Amount.IsNegative() {
				continue
			}
			m := st.DefaultMethod
			if it.Methods()[0] == MethodAccountOwed && m != MethodVoucherQuota {
				m = MethodAccountOwed
			}
			if byMethod[m] == nil {
				order = append(order, m)
			}
			byMethod[m] = append(byMethod[m], it.ID)
		}
		for _, m := range order {
			key := "auto-apply-" + day + "-" + m
			// Submitted by no one: 站内信 go to the main account.
			if _, err := s.apply(ctx, st.PartnerID, 0, byMethod[m], m, key); err != nil {
				if apperr.Is(err, apperr.KindConflict) || apperr.Is(err, apperr.KindInvalid) {
					break // negatives above the rest, not certified: left for the partner
				}
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// AutoArgs is the daily 自动申请 job.
type AutoArgs struct{}

// Kind names the job in River's table.
func (AutoArgs) Kind() string { return "incentive_auto_apply" }

// AutoWorker runs it.
type AutoWorker struct {
	river.WorkerDefaults[AutoArgs]
	Service Service
}

// Work applies at the service's clock.
func (w *AutoWorker) Work(ctx context.Context, _ *river.Job[AutoArgs]) error {
	_, err := w.Service.AutoApply(ctx)
	return err
}
