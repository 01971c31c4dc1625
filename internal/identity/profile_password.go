package identity

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/reqctx"
)

// PasswordChange is the self-service password form (seed 003 §7.1.7:
// 伙伴信息 > 基本信息 > 个人资料 修改密码).
type PasswordChange struct {
	Old     string
	New     string
	Confirm string
}

// Passwords changes a signed-in partner member's own password.
type Passwords struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// Change sets a new password after checking the old one. The new one
// must pass ValidatePassword, equal its confirmation and differ from the
// old one. A wrong old password counts as a sign-in failure of the login
// name, so a stolen session cannot be used to guess the password (the
// same throttle as sign-in applies). On success every other session of
// the user ends (keepRowID is the current one and stays; 0 ends all),
// password_changed_at moves and the audit trail records the change
// (never the hashes). The acting member changes its own password only.
func (s Passwords) Change(ctx context.Context, p *access.Principal, in PasswordChange, keepRowID int64) (err error) {
	defer apperr.Wrap(&err, "identity.Change(%d)", keepRowID)
	userID, partnerID, err := self(p)
	if err != nil {
		return err
	}
	f := apperr.Fields{}
	if in.Old == "" {
		f.Add("old_password", "profile.err.old_password_required")
	}
	if in.New == "" {
		f.Add("new_password", "profile.err.required")
	}
	if in.Confirm == "" {
		f.Add("confirm_password", "profile.err.required")
	}
	if err := f.Err(); err != nil {
		return err
	}
	u, err := ownUser(ctx, s.DB, userID, partnerID, false)
	if err != nil {
		return err
	}
	if u.Status != StatusActive {
		return apperr.NotFound()
	}
	// The old password is a credential check like sign-in's: the same
	// throttle, and a wrong guess counts against the name and address.
	now, auth, ip := s.Clock.Now(), Authenticator(s), reqctx.From(ctx).IP
	if err := auth.throttled(ctx, u.LoginName, ip); err != nil {
		return err
	}
	if !CheckPassword(u.PasswordHash, in.Old) {
		if err := auth.recordFailure(ctx, u.LoginName, ip); err != nil {
			return err
		}
		return apperr.FieldError("old_password", "profile.err.old_password_wrong")
	}
	if key := ValidatePassword(in.New, u.LoginName); key != "" {
		f.Add("new_password", key)
	} else if in.New == in.Old {
		f.Add("new_password", "profile.err.password_same")
	}
	if in.Confirm != in.New {
		f.Add("confirm_password", "profile.err.password_mismatch")
	}
	if err := f.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(in.New)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		// Lock the row and make sure the password did not change meanwhile.
		var cur User
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&cur, u.ID).Error; err != nil {
			return err
		}
		if cur.PasswordHash != u.PasswordHash {
			return apperr.FieldError("old_password", "profile.err.old_password_wrong")
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{
			"password_hash": hash, "password_changed_at": now, "updated_at": now,
		}).Error; err != nil {
			return err
		}
		var ended int64
		q := tx.Model(&SessionRow{}).Where("user_id = ?", u.ID)
		if keepRowID != 0 {
			q = q.Where("id <> ?", keepRowID)
		}
		if err := q.Count(&ended).Error; err != nil {
			return err
		}
		if err := EndAllForUser(tx, u.ID, keepRowID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: partnerID, Action: "user.password.change", ObjectType: "user",
			ObjectID: u.ID, Before: map[string]any{"password_changed_at": u.PasswordChangedAt},
			After: map[string]any{"password_changed_at": now, "other_sessions_ended": ended}})
	})
}
