package identity

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// StaffRow is a vendor staff member with its workload.
type StaffRow struct {
	User
	Partners     int64 // partners it is the ecosystem manager of
	OpenReviews  int64 // submitted applications assigned to it
	LiveSessions int64
}

// StaffInput is the vendor staff form.
type StaffInput struct {
	LoginName   string
	DisplayName string
	Email       string
	Mobile      string
	Position    string
	Role        string // VendorEcoManager or VendorAdmin
	Password    string
}

// Staff manages vendor staff accounts: the vendor administrator creates
// ecosystem managers and other administrators, and disables those who
// leave.
type Staff struct{ DB *gorm.DB }

// List returns every vendor staff member, administrators first.
func (s Staff) List(ctx context.Context, p *access.Principal) (_ []StaffRow, err error) {
	defer apperr.Wrap(&err, "identity.List")
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	var rows []StaffRow
	err = s.DB.WithContext(ctx).Raw(`SELECT u.*,
		(SELECT count(*) FROM partners p WHERE p.eco_manager_id = u.id) AS partners,
		(SELECT count(*) FROM applications a WHERE a.reviewer_id = u.id AND a.state = 'submitted') AS open_reviews,
		(SELECT count(*) FROM user_sessions us WHERE us.user_id = u.id AND us.expires_at > now()) AS live_sessions
		FROM users u WHERE u.kind = 'vendor'
		ORDER BY u.vendor_role DESC, u.status, u.display_name, u.id`).Scan(&rows).Error
	return rows, err
}

func (in *StaffInput) validate() apperr.Fields {
	in.LoginName = strings.TrimSpace(in.LoginName)
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.Mobile = strings.TrimSpace(in.Mobile)
	in.Position = strings.TrimSpace(in.Position)
	f := apperr.Fields{}
	if !ValidLoginName(in.LoginName) {
		f.Add("login_name", "staff.err.login_name")
	}
	if n := utf8.RuneCountInString(in.DisplayName); n == 0 || n > 64 {
		f.Add("display_name", "staff.err.display_name")
	}
	if !ValidEmail(in.Email) {
		f.Add("email", "staff.err.email")
	}
	if in.Mobile != "" && !ValidMobile(in.Mobile) {
		f.Add("mobile", "staff.err.mobile")
	}
	if utf8.RuneCountInString(in.Position) > 64 {
		f.Add("position", "staff.err.position")
	}
	if in.Role != VendorEcoManager && in.Role != VendorAdmin {
		f.Add("role", "staff.err.role")
	}
	if k := ValidatePassword(in.Password, in.LoginName); k != "" {
		f.Add("password", k)
	}
	return f
}

// Create adds a vendor staff member.
func (s Staff) Create(ctx context.Context, p *access.Principal, in StaffInput) (_ int64, err error) {
	defer apperr.Wrap(&err, "identity.Create")
	if _, err := p.Staff(); err != nil {
		return 0, err
	}
	f := in.validate()
	var id int64
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := CheckAvailable(ctx, tx, Claim{LoginName: in.LoginName, Email: in.Email, Mobile: in.Mobile}, f); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		hash, err := HashPassword(in.Password)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		role := in.Role
		u := User{Kind: KindVendor, VendorRole: &role, LoginName: in.LoginName, DisplayName: in.DisplayName,
			Email: Ptr(in.Email), Mobile: Ptr(in.Mobile), Position: in.Position, PasswordHash: hash,
			Status: StatusActive, Locale: "zh-CN", PasswordChangedAt: now, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&u).Error; err != nil {
			return TakenError(err)
		}
		id = u.ID
		return audit.Record(ctx, tx, audit.Change{Action: "staff.create", ObjectType: "user", ObjectID: u.ID,
			After: map[string]any{"login_name": u.LoginName, "display_name": u.DisplayName, "email": in.Email,
				"mobile": in.Mobile, "vendor_role": role}})
	})
	return id, err
}

// SetStatus disables or enables a vendor staff member. Disabling ends its
// sessions at once; nobody disables themselves, and an ecosystem manager
// still responsible for partners must hand them over first (their
// applications would otherwise wait for nobody).
func (s Staff) SetStatus(ctx context.Context, p *access.Principal, id int64, status string) (err error) {
	defer apperr.Wrap(&err, "identity.SetStatus(%d)", id)
	actorID, err := p.Staff()
	if err != nil {
		return err
	}
	if status != StatusActive && status != StatusDisabled {
		return apperr.Invalid("error.bad_request")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var u User
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND kind = ?", id, KindVendor).First(&u).Error
		if db.IsNotFound(err) {
			return apperr.NotFound()
		}
		if err != nil {
			return err
		}
		if u.ID == actorID {
			return apperr.Conflict("staff.err.self")
		}
		if u.Status == status {
			return nil
		}
		if status == StatusDisabled {
			var partners int64
			if err := tx.Table("partners").Where("eco_manager_id = ?", u.ID).Count(&partners).Error; err != nil {
				return err
			}
			if partners > 0 {
				return apperr.Conflict("staff.err.has_partners", map[string]any{"Count": partners})
			}
			if err := EndAllForUser(tx, u.ID, 0); err != nil {
				return err
			}
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"status": status, "updated_at": time.Now().UTC()}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "staff." + map[string]string{StatusActive: "enable", StatusDisabled: "disable"}[status],
			ObjectType: "user", ObjectID: u.ID, Before: map[string]any{"status": u.Status}, After: map[string]any{"status": status}})
	})
}

// SetOnboardingReviewer puts an ecosystem manager in or out of the pool
// that reviews the onboarding of companies without an ecosystem manager.
func (s Staff) SetOnboardingReviewer(ctx context.Context, p *access.Principal, id int64, on bool) (err error) {
	defer apperr.Wrap(&err, "identity.SetOnboardingReviewer(%d)", id)
	if _, err := p.Staff(); err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var u User
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND kind = ?", id, KindVendor).First(&u).Error
		if db.IsNotFound(err) {
			return apperr.NotFound()
		}
		if err != nil {
			return err
		}
		if u.VendorRoleName() != VendorEcoManager {
			return apperr.Conflict("staff.err.not_eco_manager")
		}
		if u.OnboardingReviewer == on {
			return nil
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"onboarding_reviewer": on, "updated_at": time.Now().UTC()}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "staff.onboarding_reviewer", ObjectType: "user", ObjectID: u.ID,
			Before: map[string]any{"onboarding_reviewer": u.OnboardingReviewer}, After: map[string]any{"onboarding_reviewer": on}})
	})
}
