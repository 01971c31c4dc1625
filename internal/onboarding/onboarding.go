package onboarding

import (
	"context"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/files"
	"partnercenter/internal/identity"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// TypeKey is the application type of HCPN onboarding.
const TypeKey = "hcpn_onboarding"

// SLA is the review time of a manual onboarding review, in working days.
const SLA = 3

// Agreements are the four agreements of normal onboarding (seed 003 §3.2
// screenshot): 《华为云合作伙伴协议》、《华为云合作伙伴管理制度》、
// 《合作伙伴行为准则》、《合作伙伴廉洁诚信手册》. Labels are
// onboarding.agreement.<key>.
var Agreements = []string{"partner_agreement", "management_rules", "code_of_conduct", "integrity_handbook"}

// Upload is a file sent with the form.
type Upload struct {
	Name string
	Data []byte
}

// Form is the onboarding form.
type Form struct {
	CompanyName         string
	Address             string
	LegalRepresentative string
	RegisteredCapital   string
	BusinessScope       string
	ContactName         string
	ContactPosition     string
	ContactMobile       string
	ContactEmail        string
	Agreements          []string
	Licence             *Upload
}

// Company is the company part of the payload.
type Company struct {
	Name                string `json:"name"`
	CreditCode          string `json:"credit_code"`
	Site                string `json:"site"`
	Address             string `json:"address"`
	LegalRepresentative string `json:"legal_representative"`
	RegisteredCapital   string `json:"registered_capital"`
	BusinessScope       string `json:"business_scope"`
}

// Contacts is the contact part of the payload.
type Contacts struct {
	Name     string `json:"name"`
	Position string `json:"position"`
	Mobile   string `json:"mobile"`
	Email    string `json:"email"`
}

// Payload is what an hcpn_onboarding application stores.
type Payload struct {
	Company      Company  `json:"company"`
	Contacts     Contacts `json:"contacts"`
	Agreements   []string `json:"agreements"`
	Fast         bool     `json:"fast"`
	ExistingID   int64    `json:"existing_partner_id,omitempty"`
	ExistingName string   `json:"existing_name,omitempty"`
}

// State is what the onboarding page shows.
type State struct {
	Partner  *partner.Partner
	Existing *partner.Partner // an active partner of the same legal entity (§3.2)
	Latest   *approval.Row    // the latest onboarding application
	// CanSubmit: the tenant is registered or was rejected.
	CanSubmit bool
}

// Fast reports fast onboarding: the company already is a partner.
func (s *State) Fast() bool { return s.Existing != nil }

// sameEntity finds another active partner with the same credit code.
func sameEntity(ctx context.Context, tx *gorm.DB, p *partner.Partner) (*partner.Partner, error) {
	var ps []partner.Partner
	err := tx.WithContext(ctx).Where("credit_code = ? AND id <> ? AND status = ?", p.CreditCode, p.ID, partner.StatusActive).
		Order("joined_hcpn_at NULLS LAST, id").Limit(1).Find(&ps).Error
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	return &ps[0], nil
}

// Load returns the onboarding state of the actor's tenant.
func (s Service) Load(ctx context.Context, actor *access.Principal) (_ *State, err error) {
	defer apperr.Wrap(&err, "onboarding.Load")
	pid, err := actor.Tenant()
	if err != nil {
		return nil, err
	}
	p, err := partner.Store{DB: s.DB}.Get(ctx, pid)
	if err != nil {
		return nil, err
	}
	st := &State{Partner: p, CanSubmit: p.Status == partner.StatusRegistered || p.Status == partner.StatusRejected}
	if st.Existing, err = sameEntity(ctx, s.DB, p); err != nil {
		return nil, err
	}
	if st.Latest, err = (approval.Engine{DB: s.DB, Clock: s.Clock}).Latest(ctx, actor, TypeKey); err != nil {
		return nil, err
	}
	return st, nil
}

func trim(s string) string { return strings.TrimSpace(s) }

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

func (f *Form) normalize() {
	f.CompanyName, f.Address, f.LegalRepresentative = trim(f.CompanyName), trim(f.Address), trim(f.LegalRepresentative)
	f.RegisteredCapital, f.BusinessScope = trim(f.RegisteredCapital), trim(f.BusinessScope)
	f.ContactName, f.ContactPosition = trim(f.ContactName), trim(f.ContactPosition)
	f.ContactMobile, f.ContactEmail = trim(f.ContactMobile), strings.ToLower(trim(f.ContactEmail))
}

func (f Form) validate(fast bool) apperr.Fields {
	e := apperr.Fields{}
	if f.CompanyName == "" {
		e.Add("company_name", "onboarding.err.company_name_required")
	} else if tooLong(f.CompanyName, 200) {
		e.Add("company_name", "onboarding.err.company_name_too_long")
	}
	if !fast {
		// Fast onboarding reuses the company data (seed 003 §3.2).
		if f.Address == "" {
			e.Add("address", "onboarding.err.address_required")
		} else if tooLong(f.Address, 200) {
			e.Add("address", "onboarding.err.too_long")
		}
		if f.LegalRepresentative == "" {
			e.Add("legal_representative", "onboarding.err.legal_representative_required")
		} else if tooLong(f.LegalRepresentative, 50) {
			e.Add("legal_representative", "onboarding.err.too_long")
		}
		if tooLong(f.RegisteredCapital, 50) {
			e.Add("registered_capital", "onboarding.err.too_long")
		}
		if tooLong(f.BusinessScope, 2000) {
			e.Add("business_scope", "onboarding.err.too_long")
		}
	}
	if f.ContactName == "" {
		e.Add("contact_name", "onboarding.err.contact_name_required")
	} else if tooLong(f.ContactName, 50) {
		e.Add("contact_name", "onboarding.err.too_long")
	}
	if f.ContactPosition == "" {
		e.Add("contact_position", "onboarding.err.contact_position_required")
	} else if tooLong(f.ContactPosition, 50) {
		e.Add("contact_position", "onboarding.err.too_long")
	}
	if !identity.ValidMobile(f.ContactMobile) {
		e.Add("contact_mobile", "onboarding.err.mobile_invalid")
	}
	if !identity.ValidEmail(f.ContactEmail) {
		e.Add("contact_email", "onboarding.err.email_invalid")
	}
	accepted := map[string]bool{}
	for _, a := range f.Agreements {
		accepted[a] = true
	}
	for _, a := range Agreements {
		if !accepted[a] {
			e.Add("agreements", "onboarding.err.agreements_required")
		}
	}
	return e
}

// Submit takes the onboarding form of the actor's tenant (its main
// account): it updates the company, stores the licence, sets the tenant
// pending_review and submits an hcpn_onboarding application, whose
// automatic checks may approve it at once. All in one transaction.
func (s Service) Submit(ctx context.Context, actor *access.Principal, f Form) (_ *approval.Application, err error) {
	defer apperr.Wrap(&err, "onboarding.Submit")
	pid, err := actor.Tenant()
	if err != nil {
		return nil, err
	}
	if !actor.IsMain {
		return nil, apperr.Forbidden()
	}
	f.normalize()
	var out *approval.Application
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var p partner.Partner
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).First(&p, pid).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.NotFound()
			}
			return err
		}
		switch p.Status {
		case partner.StatusRegistered, partner.StatusRejected:
		case partner.StatusPendingReview:
			return apperr.Conflict("onboarding.err.already_submitted")
		case partner.StatusActive:
			return apperr.Conflict("onboarding.err.already_active")
		default:
			return apperr.Conflict("onboarding.err.not_open")
		}
		existing, err := sameEntity(ctx, tx, &p)
		if err != nil {
			return err
		}
		fast := existing != nil
		if err := f.validate(fast).Err(); err != nil {
			return err
		}
		var fileIDs []int64
		if f.Licence != nil && len(f.Licence.Data) > 0 {
			fileID, _, err := files.Save(ctx, tx, files.Upload{PartnerID: p.ID, UserID: actor.UserID,
				Name: f.Licence.Name, Data: f.Licence.Data, At: s.now()}, files.Documents, files.MaxSize, "licence")
			if err != nil {
				return err
			}
			fileIDs = append(fileIDs, fileID)
		}
		before := map[string]any{"status": p.Status, "name": p.Name}
		upd := map[string]any{
			"name": f.CompanyName, "status": partner.StatusPendingReview,
			"contact_name": f.ContactName, "contact_position": f.ContactPosition,
			"contact_mobile": f.ContactMobile, "contact_email": f.ContactEmail, "updated_at": s.now(),
		}
		company := Company{Name: f.CompanyName, CreditCode: p.CreditCode, Site: p.Site}
		if fast {
			// Reuse the company data of the entity's partner account (§3.2).
			upd["address"], upd["postal_code"] = existing.Address, existing.PostalCode
			upd["legal_representative"], upd["registered_capital"] = existing.LegalRepresentative, existing.RegisteredCapital
			upd["established_on"], upd["business_scope"] = existing.EstablishedOn, existing.BusinessScope
			company.Address, company.LegalRepresentative = existing.Address, existing.LegalRepresentative
			company.RegisteredCapital, company.BusinessScope = existing.RegisteredCapital, existing.BusinessScope
		} else {
			upd["address"], upd["legal_representative"] = f.Address, f.LegalRepresentative
			upd["registered_capital"], upd["business_scope"] = f.RegisteredCapital, f.BusinessScope
			company.Address, company.LegalRepresentative = f.Address, f.LegalRepresentative
			company.RegisteredCapital, company.BusinessScope = f.RegisteredCapital, f.BusinessScope
		}
		if err := tx.WithContext(ctx).Model(&partner.Partner{}).Where("id = ?", p.ID).Updates(upd).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Change{PartnerID: p.ID, Action: "partner.onboarding_submit", ObjectType: "partner", ObjectID: p.ID,
			Before: before, After: map[string]any{"status": partner.StatusPendingReview, "name": f.CompanyName, "fast": fast}}); err != nil {
			return err
		}
		payload := Payload{Company: company, Agreements: Agreements, Fast: fast,
			Contacts: Contacts{Name: f.ContactName, Position: f.ContactPosition, Mobile: f.ContactMobile, Email: f.ContactEmail}}
		if fast {
			payload.ExistingID, payload.ExistingName = existing.ID, existing.Name
		}
		app, err := approval.Engine{DB: s.DB, Clock: s.Clock}.SubmitNew(ctx, tx, actor, approval.New{
			Type: TypeKey, Title: f.CompanyName, Payload: payload, FileIDs: fileIDs})
		if err != nil {
			return err
		}
		out = app
		return nil
	})
	return out, err
}
