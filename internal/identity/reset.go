package identity

import (
	"context"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// MemberForReset is the active account a 忘记密码 form names (seed 003
// §7.1.7): the main account's login name (管理员账号) and the member's
// login name or e-mail (the main account itself when they are the same);
// or, for a personal Huawei account, its login name or e-mail in both.
// Nil when none matches: the caller answers the same either way, so the
// form tells nobody which accounts exist.
func (s Users) MemberForReset(ctx context.Context, mainLogin, who string) (_ *User, err error) {
	defer apperr.Wrap(&err, "identity.MemberForReset")
	mainLogin, who = strings.TrimSpace(mainLogin), strings.TrimSpace(who)
	if mainLogin == "" || who == "" {
		return nil, nil
	}
	var main User
	if err := s.DB.WithContext(ctx).Where("lower(login_name) = lower(?) AND is_main AND kind = 'partner'", mainLogin).Take(&main).Error; err != nil {
		if db.IsNotFound(err) {
			return s.personalForReset(ctx, mainLogin, who)
		}
		return nil, err
	}
	var us []User
	if err := s.DB.WithContext(ctx).Where("partner_id = ? AND kind = 'partner' AND status = ? AND (lower(login_name) = lower(?) OR lower(email) = lower(?))",
		main.PartnerID, StatusActive, who, who).Limit(1).Find(&us).Error; err != nil || len(us) == 0 {
		return nil, err
	}
	return &us[0], nil
}

// personalForReset is the personal account named by its login name or
// e-mail (both fields name the same account).
func (s Users) personalForReset(ctx context.Context, name, who string) (*User, error) {
	var us []User
	if err := s.DB.WithContext(ctx).Where(`kind = ? AND status = ? AND (lower(login_name) = lower(?) OR lower(email) = lower(?))
		AND (lower(login_name) = lower(?) OR lower(email) = lower(?))`, KindPersonal, StatusActive, name, name, who, who).
		Limit(1).Find(&us).Error; err != nil || len(us) == 0 {
		return nil, err
	}
	return &us[0], nil
}

// Reset sets a new password once the caller verified the reset code: the
// policy of ValidatePassword, equal to its confirmation; every session of
// the user ends and the audit trail records it (never the hash). It runs
// in the caller's transaction (tx).
func (s Passwords) Reset(ctx context.Context, tx *gorm.DB, userID int64, newPassword, confirm string) (err error) {
	defer apperr.Wrap(&err, "identity.Reset(%d)", userID)
	var u User
	if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND status = ?", userID, StatusActive).
		Take(&u).Error; err != nil {
		if db.IsNotFound(err) {
			return apperr.NotFound()
		}
		return err
	}
	f := apperr.Fields{}
	if key := ValidatePassword(newPassword, u.LoginName); key != "" {
		f.Add("new_password", key)
	}
	if confirm != newPassword {
		f.Add("confirm_password", "profile.err.password_mismatch")
	}
	if err := f.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(newPassword)
	if err != nil {
		return err
	}
	now := s.Clock.Now().UTC()
	if err := tx.WithContext(ctx).Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"password_hash": hash,
		"password_changed_at": now, "updated_at": now}).Error; err != nil {
		return err
	}
	if err := EndAllForUser(tx, u.ID, 0); err != nil {
		return err
	}
	var pid int64
	if u.PartnerID != nil {
		pid = *u.PartnerID
	}
	return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "user.password.reset", ObjectType: "user", ObjectID: u.ID,
		Before: map[string]any{"password_changed_at": u.PasswordChangedAt}, After: map[string]any{"password_changed_at": now}})
}
