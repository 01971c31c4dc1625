package opportunity

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/customer"
	"partnercenter/internal/identity"
	"partnercenter/internal/notify"
	"partnercenter/internal/outbox"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

const protectionTemplate = "opportunity.msg.protection_ending"

// WarnExpiring warns of the approved POs whose protection ends within the
// warning period (customer.WarnDays, the vendor's one setting for reports
// and POs): a 站内信, and e-mail or SMS by their settings, to the member
// who created the PO and to the partner's main account — once per PO.
func (s Service) WarnExpiring(ctx context.Context) (n int, err error) {
	defer apperr.Wrap(&err, "opportunity.WarnExpiring")
	days, err := customer.WarnDays(ctx, s.DB)
	if err != nil || days == 0 {
		return 0, err
	}
	now := s.now()
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var os []Opportunity
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
			Where("status = ? AND protection_warned_at IS NULL AND protected_until > ? AND protected_until <= ?", StateApproved, now,
				now.AddDate(0, 0, days)).Order("protected_until, id").Limit(500).Find(&os).Error; err != nil {
			return err
		}
		for i := range os {
			if err := warnPO(ctx, tx, &os[i], now); err != nil {
				return err
			}
		}
		n = len(os)
		return nil
	})
	return n, err
}

func warnPO(ctx context.Context, tx *gorm.DB, o *Opportunity, now time.Time) error {
	main, err := (identity.Users{DB: tx}).MainAccountID(ctx, o.PartnerID)
	if err != nil {
		return err
	}
	to := []int64{main}
	if o.CreatedBy != nil && *o.CreatedBy != main {
		to = append(to, *o.CreatedBy)
	}
	link := fmt.Sprintf("/opportunities/po/%d", o.ID)
	params := map[string]any{"No": o.No, "Customer": o.CustomerName, "UntilAt": o.ProtectedUntil.Format(time.RFC3339)}
	for _, uid := range to {
		if uid == 0 {
			continue
		}
		if err := notify.Send(ctx, tx, notify.Note{To: uid, Partner: o.PartnerID, Subject: protectionTemplate + ".subject",
			Body: protectionTemplate + ".body", Params: params, Link: link, At: now}); err != nil {
			return err
		}
		out := map[string]any{"No": o.No, "Customer": o.CustomerName, "UntilAt": params["UntilAt"], "Link": link}
		if err := outbox.Announce(ctx, tx, uid, outbox.Note{Template: protectionTemplate, Params: out, Partner: o.PartnerID, At: now}); err != nil {
			return err
		}
	}
	return tx.WithContext(ctx).Model(&Opportunity{}).Where("id = ?", o.ID).UpdateColumn("protection_warned_at", now).Error
}
