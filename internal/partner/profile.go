package partner

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/files"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Limits of the company profile (基本信息 > 公司信息).
const (
	MaxIntroRunes    = 2000     // introduction (CHECK in the schema)
	MaxLicenceBytes  = 10 << 20 // licence file: PDF/JPG/PNG ≤ 10 MB
	MaxLogoBytes     = 2 << 20  // logo: PNG/JPEG ≤ 2 MB
	maxLogoDimension = 4096     // pixels per side
	maxNameRunes     = 200      // partners.name CHECK
	maxFieldRunes    = 200      // address, legal representative, …
	maxScopeRunes    = 2000     // business scope
	maxContactRunes  = 64       // contact name and position
)

// Upload is a file received from a form. The content type is always
// sniffed from Data; Name (the client's file name) is only kept for
// display.
type Upload struct {
	Name string
	Data []byte
}

// Profiles reads and changes a tenant's company profile. Every method
// takes the acting partner member first (Principal.Tenant: vendor staff,
// customers and the system are refused) and works on its own tenant
// only. Every change is one transaction with its audit row.
type Profiles struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// Company returns the actor's own partner (never another tenant's).
func (s Profiles) Company(ctx context.Context, actor *access.Principal) (_ *Partner, err error) {
	defer apperr.Wrap(&err, "partner.Company")
	pid, err := actor.Tenant()
	if err != nil {
		return nil, err
	}
	return Store{DB: s.DB}.Get(ctx, pid)
}

// requireMain checks in the database that the actor (userID) is the main
// account of its tenant (pid): licence data, logo and introduction belong
// to the main account alone (seed 003 §6.1.2, §6.1.4). The route checks
// the MainOnly item too; this holds even for a caller that forgets to.
func requireMain(ctx context.Context, tx *gorm.DB, userID, pid int64) error {
	u, err := tenantUser(ctx, tx, userID, pid)
	if err != nil {
		return err
	}
	if u == nil || !u.IsMain {
		return apperr.Forbidden()
	}
	return nil
}

// requireMember checks that the actor (userID) is an active user of its
// tenant (pid).
func requireMember(ctx context.Context, tx *gorm.DB, userID, pid int64) error {
	u, err := tenantUser(ctx, tx, userID, pid)
	if err != nil {
		return err
	}
	if u == nil {
		return apperr.NotFound()
	}
	return nil
}

// tenantUser is the active user userID of tenant pid, or nil.
func tenantUser(ctx context.Context, tx *gorm.DB, userID, pid int64) (*identity.User, error) {
	users, err := identity.Users{DB: tx}.ByIDs(ctx, []int64{userID})
	if err != nil {
		return nil, err
	}
	u := users[userID]
	if u == nil || u.TenantID() != pid || pid == 0 || u.Status != identity.StatusActive {
		return nil, nil
	}
	return u, nil
}

// lockPartner loads the actor's partner for update.
func lockPartner(tx *gorm.DB, id int64) (*Partner, error) {
	var p Partner
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&p, id).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	return &p, err
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// clean trims a single-line field and drops control characters.
func clean(s string) string {
	s = strings.TrimSpace(s)
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// cleanText trims a multi-line field, keeping line breaks and tabs.
func cleanText(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

var postalCode = regexp.MustCompile(`^[0-9]{6}$`)

// LicenceInput is the licence data the main account submits with a new
// licence file (seed 003 §6.1.2). The credit code is not editable: the
// code stated on the uploaded licence must equal the stored one (§6.1.3).
type LicenceInput struct {
	Name                string
	RegisteredCapital   string
	EstablishedOn       string // YYYY-MM-DD
	LegalRepresentative string
	Address             string
	PostalCode          string
	BusinessScope       string
	LicenceCode         string // 营业执照上的统一社会信用代码
	LicenceFile         *Upload
}

// licenceSnapshot is what the audit trail records of licence data.
type licenceSnapshot struct {
	Name                string `json:"name"`
	RegisteredCapital   string `json:"registered_capital"`
	EstablishedOn       string `json:"established_on"`
	LegalRepresentative string `json:"legal_representative"`
	Address             string `json:"address"`
	PostalCode          string `json:"postal_code"`
	BusinessScope       string `json:"business_scope"`
	LicenceFileID       int64  `json:"licence_file_id,omitempty"`
}

func dateString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

func snapshotLicence(p *Partner) licenceSnapshot {
	return licenceSnapshot{Name: p.Name, RegisteredCapital: p.RegisteredCapital, EstablishedOn: dateString(p.EstablishedOn),
		LegalRepresentative: p.LegalRepresentative, Address: p.Address, PostalCode: p.PostalCode, BusinessScope: p.BusinessScope}
}

// Licence content types accepted (sniffed).
var licenceTypes = files.Documents

// validateLicence checks the form and returns the parsed date and the
// sniffed content type of the licence file.
func (s Profiles) validateLicence(in *LicenceInput) (*time.Time, string, error) {
	f := apperr.Fields{}
	in.Name = clean(in.Name)
	in.RegisteredCapital = clean(in.RegisteredCapital)
	in.LegalRepresentative = clean(in.LegalRepresentative)
	in.Address = clean(in.Address)
	in.PostalCode = clean(in.PostalCode)
	in.BusinessScope = cleanText(in.BusinessScope)
	in.LicenceCode = NormalizeCreditCode(in.LicenceCode)
	in.EstablishedOn = clean(in.EstablishedOn)

	required := func(field, v string, max int) {
		switch {
		case v == "":
			f.Add(field, "profile.err.required")
		case runes(v) > max:
			f.Add(field, "profile.err.too_long")
		}
	}
	required("name", in.Name, maxNameRunes)
	required("registered_capital", in.RegisteredCapital, 64)
	required("legal_representative", in.LegalRepresentative, maxContactRunes)
	required("address", in.Address, maxFieldRunes)
	required("business_scope", in.BusinessScope, maxScopeRunes)
	if in.PostalCode == "" {
		f.Add("postal_code", "profile.err.required")
	} else if !postalCode.MatchString(in.PostalCode) {
		f.Add("postal_code", "profile.err.postal_code")
	}
	var est *time.Time
	if in.EstablishedOn == "" {
		f.Add("established_on", "profile.err.required")
	} else if d, err := time.Parse(time.DateOnly, in.EstablishedOn); err != nil {
		f.Add("established_on", "profile.err.date")
	} else if d.After(s.Clock.Now().In(clock.China)) || d.Year() < 1949 {
		f.Add("established_on", "profile.err.date_range")
	} else {
		est = &d
	}
	if in.LicenceCode == "" {
		f.Add("licence_code", "profile.err.required")
	} else if !ValidCreditCode(in.LicenceCode) {
		f.Add("licence_code", "profile.err.credit_code_invalid")
	}
	ctype := ""
	if in.LicenceFile == nil || len(in.LicenceFile.Data) == 0 {
		f.Add("licence_file", "profile.err.licence_file_required")
	} else if ct, key := files.Check(in.LicenceFile.Data, licenceTypes, MaxLicenceBytes); key != "" {
		f.Add("licence_file", key)
	} else {
		ctype = ct
	}
	return est, ctype, f.Err()
}

// UpdateLicence changes the licence data of the actor's tenant. Only the
// main account may (seed 003 §6.1.2). The stored credit code is never
// changed; a licence stating another code is refused with the seed's
// message and nothing changes (§6.1.3).
func (s Profiles) UpdateLicence(ctx context.Context, actor *access.Principal, in LicenceInput) (err error) {
	defer apperr.Wrap(&err, "partner.UpdateLicence")
	pid, err := actor.Tenant()
	if err != nil {
		return err
	}
	if err := requireMain(ctx, s.DB, actor.UserID, pid); err != nil {
		return err
	}
	est, ctype, err := s.validateLicence(&in)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := requireMain(ctx, tx, actor.UserID, pid); err != nil {
			return err
		}
		p, err := lockPartner(tx, pid)
		if err != nil {
			return err
		}
		if in.LicenceCode != p.CreditCode {
			// seed 003 §6.1.3, verbatim message.
			e := apperr.Invalid("profile.err.licence_code_mismatch")
			e.Fields["licence_code"] = "profile.err.licence_code_mismatch"
			return e
		}
		before := snapshotLicence(p)
		now := s.Clock.Now()
		fileID, _, err := files.Save(ctx, tx, files.Upload{PartnerID: pid, UserID: actor.UserID,
			Name: files.CleanName(in.LicenceFile.Name, "licence"+files.Ext(ctype)), Data: in.LicenceFile.Data, At: now},
			licenceTypes, MaxLicenceBytes, "licence_file")
		if err != nil {
			return err
		}
		p.Name, p.RegisteredCapital, p.EstablishedOn = in.Name, in.RegisteredCapital, est
		p.LegalRepresentative, p.Address, p.PostalCode, p.BusinessScope = in.LegalRepresentative, in.Address, in.PostalCode, in.BusinessScope
		if err := tx.Model(&Partner{}).Where("id = ?", p.ID).Updates(map[string]any{
			"name": p.Name, "registered_capital": p.RegisteredCapital, "established_on": est,
			"legal_representative": p.LegalRepresentative, "address": p.Address, "postal_code": p.PostalCode,
			"business_scope": p.BusinessScope, "updated_at": now,
		}).Error; err != nil {
			return err
		}
		after := snapshotLicence(p)
		after.LicenceFileID = fileID
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: p.ID, Action: "partner.licence.update", ObjectType: "partner",
			ObjectID: p.ID, Before: before, After: after})
	})
}

// ContactsInput is the company's contact person (seed 003 §6.1.5).
type ContactsInput struct {
	Name     string
	Position string
	Mobile   string
	Email    string
}

type contactsSnapshot struct {
	Name     string `json:"contact_name"`
	Position string `json:"contact_position"`
	Mobile   string `json:"contact_mobile"`
	Email    string `json:"contact_email"`
}

// UpdateContacts changes the company's contact person, edited directly in
// 基本信息 > 公司信息 (seed 003 §6.1.5).
func (s Profiles) UpdateContacts(ctx context.Context, actor *access.Principal, in ContactsInput) (err error) {
	defer apperr.Wrap(&err, "partner.UpdateContacts")
	pid, err := actor.Tenant()
	if err != nil {
		return err
	}
	in.Name, in.Position = clean(in.Name), clean(in.Position)
	in.Mobile, in.Email = clean(in.Mobile), strings.ToLower(clean(in.Email))
	f := apperr.Fields{}
	if in.Name == "" {
		f.Add("contact_name", "profile.err.required")
	} else if runes(in.Name) > maxContactRunes {
		f.Add("contact_name", "profile.err.too_long")
	}
	if runes(in.Position) > maxContactRunes {
		f.Add("contact_position", "profile.err.too_long")
	}
	if in.Mobile == "" {
		f.Add("contact_mobile", "profile.err.required")
	} else if !identity.ValidMobile(in.Mobile) {
		f.Add("contact_mobile", "profile.err.mobile")
	}
	if in.Email == "" {
		f.Add("contact_email", "profile.err.required")
	} else if !identity.ValidEmail(in.Email) {
		f.Add("contact_email", "profile.err.email")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := requireMember(ctx, tx, actor.UserID, pid); err != nil {
			return err
		}
		p, err := lockPartner(tx, pid)
		if err != nil {
			return err
		}
		before := contactsSnapshot{p.ContactName, p.ContactPosition, p.ContactMobile, p.ContactEmail}
		after := contactsSnapshot(in)
		if before == after {
			return nil
		}
		now := s.Clock.Now()
		if err := tx.Model(&Partner{}).Where("id = ?", p.ID).Updates(map[string]any{
			"contact_name": in.Name, "contact_position": in.Position, "contact_mobile": in.Mobile,
			"contact_email": in.Email, "updated_at": now,
		}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: p.ID, Action: "partner.contacts.update", ObjectType: "partner",
			ObjectID: p.ID, Before: before, After: after})
	})
}

// UpdateIntro changes the company introduction: main account only (seed
// 003 §6.1.4, see UpdateLogo), at most MaxIntroRunes characters.
func (s Profiles) UpdateIntro(ctx context.Context, actor *access.Principal, intro string) (err error) {
	defer apperr.Wrap(&err, "partner.UpdateIntro")
	pid, err := actor.Tenant()
	if err != nil {
		return err
	}
	intro = cleanText(intro)
	if runes(intro) > MaxIntroRunes {
		return apperr.FieldError("introduction", "profile.err.intro_too_long")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := requireMain(ctx, tx, actor.UserID, pid); err != nil {
			return err
		}
		p, err := lockPartner(tx, pid)
		if err != nil {
			return err
		}
		if p.Introduction == intro {
			return nil
		}
		now := s.Clock.Now()
		if err := tx.Model(&Partner{}).Where("id = ?", p.ID).
			Updates(map[string]any{"introduction": intro, "updated_at": now}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: p.ID, Action: "partner.intro.update", ObjectType: "partner",
			ObjectID: p.ID, Before: map[string]string{"introduction": p.Introduction}, After: map[string]string{"introduction": intro}})
	})
}
