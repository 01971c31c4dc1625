package customer

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/notify"
	"partnercenter/internal/outbox"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// SettingWarnDays is how many days before a protection ends its owner and
// the partner admin are warned (issue 14, item 8); default 7.
const (
	SettingWarnDays    = "protection_warn_days"
	DefaultWarnDays    = 7
	MaxWarnDays        = 60
	protectionTemplate = "customer.msg.protection_ending"
)

// WarnDays is the warning period in days (setting protection_warn_days):
// what the report warnings and package opportunity's PO warnings use.
func WarnDays(ctx context.Context, g *gorm.DB) (int, error) {
	var vals []string
	if err := g.WithContext(ctx).Table("settings").Where("key = ?", SettingWarnDays).Pluck("value", &vals).Error; err != nil {
		return 0, err
	}
	if len(vals) == 0 {
		return DefaultWarnDays, nil
	}
	if n, err := strconv.Atoi(vals[0]); err == nil && n >= 0 {
		return n, nil
	}
	return DefaultWarnDays, nil
}

// Protection is the vendor's protection settings.
type Protection struct {
	ReportDays int // a report's protection period
	WarnDays   int // the warning before a protection ends (0: none)
}

// ProtectionSettings reads them.
func (s *Service) ProtectionSettings(ctx context.Context, p *access.Principal) (_ *Protection, err error) {
	defer apperr.Wrap(&err, "customer.ProtectionSettings")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	days, err := validityDays(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	warn, err := WarnDays(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	return &Protection{ReportDays: days, WarnDays: warn}, nil
}

// SetProtection changes both (the vendor administrator's 保护期设置):
// existing reports keep their expiry; audited.
func (s *Service) SetProtection(ctx context.Context, p *access.Principal, in Protection) (err error) {
	defer apperr.Wrap(&err, "customer.SetProtection")
	if _, err := p.VendorAdmin(); err != nil {
		return err
	}
	f := apperr.Fields{}
	if in.ReportDays < 1 || in.ReportDays > 3650 {
		f.Add("report_days", "customer.err.validity_days")
	}
	if in.WarnDays < 0 || in.WarnDays > MaxWarnDays {
		f.Add("warn_days", "customer.err.warn_days")
	}
	if err := f.Err(); err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		before, err := validityDays(ctx, tx)
		if err != nil {
			return err
		}
		warn, err := WarnDays(ctx, tx)
		if err != nil {
			return err
		}
		for k, v := range map[string]int{SettingReportValidity: in.ReportDays, SettingWarnDays: in.WarnDays} {
			if err := tx.WithContext(ctx).Exec(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`, k, strconv.Itoa(v), now).Error; err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Change{At: now, Action: "customer.settings.protection", ObjectType: "setting",
			Before: map[string]any{"days": before, "warn_days": warn}, After: map[string]any{"days": in.ReportDays, "warn_days": in.WarnDays}})
	})
}

// WarnExpiring warns of the protected reports whose protection ends within
// the warning period: a 站内信, and an e-mail or SMS by their settings, to
// the member who reported it and to the partner's main account — once per
// report. It returns how many reports it warned of.
func (s *Service) WarnExpiring(ctx context.Context, now time.Time) (n int, err error) {
	defer apperr.Wrap(&err, "customer.WarnExpiring")
	days, err := WarnDays(ctx, s.DB)
	if err != nil || days == 0 {
		return 0, err
	}
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var rs []Report
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
			Where("status = ? AND protection_warned_at IS NULL AND expires_at > ? AND expires_at <= ?", ReportProtected, now,
				now.AddDate(0, 0, days)).Order("expires_at, id").Limit(500).Find(&rs).Error; err != nil {
			return err
		}
		for i := range rs {
			r := &rs[i]
			main, err := mainAccount(ctx, tx, r.PartnerID)
			if err != nil {
				return err
			}
			to := []int64{main}
			if r.ReportedBy != nil && *r.ReportedBy != main {
				to = append(to, *r.ReportedBy)
			}
			params := map[string]any{"Customer": r.CustomerName, "UntilAt": r.ExpiresAt.Format(time.RFC3339)}
			link := fmt.Sprintf("/sales/reports/%d", r.ID)
			for _, uid := range to {
				if uid == 0 {
					continue
				}
				if err := notify.Send(ctx, tx, notify.Note{To: uid, Partner: r.PartnerID, Subject: protectionTemplate + ".subject",
					Body: protectionTemplate + ".body", Params: params, Link: link, At: now}); err != nil {
					return err
				}
				out := map[string]any{"Customer": r.CustomerName, "UntilAt": params["UntilAt"], "Link": link}
				if err := outbox.Announce(ctx, tx, uid, outbox.Note{Template: protectionTemplate, Params: out, Partner: r.PartnerID,
					At: now}); err != nil {
					return err
				}
			}
			if err := tx.WithContext(ctx).Model(&Report{}).Where("id = ?", r.ID).UpdateColumn("protection_warned_at", now).Error; err != nil {
				return err
			}
		}
		n = len(rs)
		return nil
	})
	return n, err
}
