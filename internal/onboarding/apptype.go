package onboarding

import (
	"context"
	"encoding/json"
	"strings"

	"gorm.io/gorm"

	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
)

func init() { approval.Register(Type{}) }

// Type is the hcpn_onboarding application type.
type Type struct{ approval.Base }

// Key is the stored type.
func (Type) Key() string { return TypeKey }

// SLA: a manual onboarding review takes at most 3 working days.
func (Type) SLA() int { return SLA }

// Validate checks that the payload is an onboarding payload.
func (Type) Validate(raw json.RawMessage) error {
	var p Payload
	if err := json.Unmarshal(raw, &p); err != nil || p.Company.Name == "" {
		return apperr.Invalid("onboarding.err.payload")
	}
	return nil
}

// Notice words the onboarding result messages (站内信 "入驻审核通过").
func (Type) Notice(action string) (string, string) {
	switch action {
	case "approved":
		return "onboarding.msg.approved.subject", "onboarding.msg.approved.body"
	case "rejected":
		return "onboarding.msg.rejected.subject", "onboarding.msg.rejected.body"
	}
	return "", ""
}

// NormalizeName makes company names comparable: no spaces, full-width
// parentheses as half-width.
func NormalizeName(s string) string {
	r := strings.NewReplacer("（", "(", "）", ")", " ", "", "\u3000", "")
	return strings.ToLower(r.Replace(strings.TrimSpace(s)))
}

// AutoCheck runs the checks of seed 003 §3.2–3.5 and approves at once
// only a same-entity fast onboarding whose checks all pass.
func (Type) AutoCheck(ctx context.Context, tx *gorm.DB, app *approval.Application) (approval.Decision, []approval.CheckResult, error) {
	var pl Payload
	if err := app.DecodePayload(&pl); err != nil {
		return approval.Manual, nil, err
	}
	var p partner.Partner
	if err := tx.WithContext(ctx).First(&p, app.PartnerID).Error; err != nil {
		return approval.Manual, nil, err
	}
	var checks []approval.CheckResult
	allPass := true
	add := func(name, outcome, msg string, args map[string]any) {
		checks = append(checks, approval.CheckResult{Name: name, Outcome: outcome, Message: msg, Args: args})
		if outcome != approval.CheckPass && outcome != approval.CheckInfo {
			allPass = false
		}
	}
	// (c) credit code checksum (§3.1).
	switch {
	case partner.ValidUSCC(p.CreditCode):
		add("onboarding.check.credit_code", approval.CheckPass, "onboarding.check.credit_code.pass", map[string]any{"Code": p.CreditCode})
	case partner.ValidOrgCode(p.CreditCode):
		add("onboarding.check.credit_code", approval.CheckWarn, "onboarding.check.credit_code.org_code", map[string]any{"Code": p.CreditCode})
	default:
		add("onboarding.check.credit_code", approval.CheckFail, "onboarding.check.credit_code.invalid", map[string]any{"Code": p.CreditCode})
	}
	// (b) site: China only (§3.5 国内站跟国际站不互通).
	if p.Site == "cn" {
		add("onboarding.check.site", approval.CheckPass, "onboarding.check.site.pass", nil)
	} else {
		add("onboarding.check.site", approval.CheckFail, "onboarding.check.site.fail", nil)
	}
	// (a) same legal entity already onboarded (§3.2).
	existing, err := sameEntity(ctx, tx, &p)
	if err != nil {
		return approval.Manual, nil, err
	}
	if existing == nil {
		add("onboarding.check.same_entity", approval.CheckWarn, "onboarding.check.same_entity.none", nil)
	} else {
		add("onboarding.check.same_entity", approval.CheckPass, "onboarding.check.same_entity.found", map[string]any{"Name": existing.Name})
		// (d) the name must match the existing company's.
		if NormalizeName(existing.Name) == NormalizeName(p.Name) {
			add("onboarding.check.name", approval.CheckPass, "onboarding.check.name.pass", nil)
		} else {
			add("onboarding.check.name", approval.CheckWarn, "onboarding.check.name.mismatch",
				map[string]any{"Name": p.Name, "Existing": existing.Name})
		}
	}
	if existing != nil && allPass {
		return approval.AutoApprove, checks, nil
	}
	return approval.Manual, checks, nil
}

// PickReviewer prefers the ecosystem manager of the same entity's partner.
func (Type) PickReviewer(ctx context.Context, tx *gorm.DB, app *approval.Application) (int64, error) {
	var pl Payload
	if err := app.DecodePayload(&pl); err != nil || pl.ExistingID == 0 {
		return 0, err
	}
	return partner.Store{DB: tx}.EcoManager(ctx, pl.ExistingID)
}

func setStatus(ctx context.Context, tx *gorm.DB, app *approval.Application, to string, extra map[string]any) error {
	var p partner.Partner
	if err := tx.WithContext(ctx).First(&p, app.PartnerID).Error; err != nil {
		return err
	}
	upd := map[string]any{"status": to, "updated_at": app.UpdatedAt}
	for k, v := range extra {
		upd[k] = v
	}
	if err := tx.WithContext(ctx).Model(&partner.Partner{}).Where("id = ?", p.ID).Updates(upd).Error; err != nil {
		return err
	}
	after := map[string]any{"status": to}
	for k, v := range extra {
		after[k] = v
	}
	return audit.Record(ctx, tx, audit.Change{PartnerID: p.ID, Action: "partner.onboarding_" + to, ObjectType: "partner", ObjectID: p.ID,
		Before: map[string]any{"status": p.Status}, After: after})
}

// OnApprove makes the tenant active: joined HCPN now, an ecosystem
// manager assigned when it has none.
func (t Type) OnApprove(ctx context.Context, tx *gorm.DB, app *approval.Application) (err error) {
	defer apperr.Wrap(&err, "onboarding.OnApprove")
	var p partner.Partner
	if err := tx.WithContext(ctx).First(&p, app.PartnerID).Error; err != nil {
		return err
	}
	extra := map[string]any{}
	if p.JoinedHCPNAt == nil && app.DecidedAt != nil {
		extra["joined_hcpn_at"] = *app.DecidedAt
	}
	if p.EcoManagerID == nil {
		eco := int64(0)
		if app.ReviewerID != nil {
			reviewers, err := identity.Users{DB: tx}.ByIDs(ctx, []int64{*app.ReviewerID})
			if err != nil {
				return err
			}
			if r := reviewers[*app.ReviewerID]; r != nil && r.VendorRoleName() == identity.VendorEcoManager {
				eco = *app.ReviewerID
			}
		}
		if eco == 0 {
			var err error
			if eco, err = t.PickReviewer(ctx, tx, app); err != nil {
				return err
			}
		}
		if eco == 0 {
			var err error
			if eco, err = approval.LeastLoadedEcoManager(ctx, tx); err != nil {
				return err
			}
		}
		if eco != 0 {
			extra["eco_manager_id"] = eco
		}
	}
	return setStatus(ctx, tx, app, partner.StatusActive, extra)
}

// OnReject marks the tenant rejected; its admin may submit again.
func (Type) OnReject(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return setStatus(ctx, tx, app, partner.StatusRejected, nil)
}

// OnWithdraw returns the tenant to registered.
func (Type) OnWithdraw(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	return setStatus(ctx, tx, app, partner.StatusRegistered, nil)
}
