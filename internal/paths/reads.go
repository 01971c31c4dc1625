package paths

import (
	"context"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
)

// Overview is 计划 > 发展路径 of a partner: its path and stage, what it may
// join, its exit blockers, its solution certifications, its open
// application and the re-review campaign.
type Overview struct {
	Enrollment *Enrollment // the live one, or nil
	History    []Enrollment
	// Joinable maps each path to the refusal of joining it ("" when the
	// account may join).
	Joinable  map[string]string
	Blockers  []string // exit refusals (empty: 退出路径 is allowed)
	Solutions []Solution
	Open      *approval.Application // an open path application, or nil
	Campaign  *Campaign             // this year's open re-review, or nil
	// RereviewDue reports a certificate the open campaign re-reviews.
	RereviewDue bool
	Today       time.Time
	// Certificates are the linked persons' certificate counts the stage
	// checks read (nil without a source).
	Certificates *CertificateCounts
}

// Next is the stage an application would reach ("" when none applies:
// the software path moves by its solutions, learning has no stages).
func (o *Overview) Next() string {
	e := o.Enrollment
	if e == nil || (e.Path != PathService && e.Path != PathSI) {
		return ""
	}
	switch e.Stage {
	case StageJoined:
		return StageRole
	case StageRole:
		return StageDiff
	}
	return ""
}

// Overview reads the actor's tenant's paths.
func (s Service) Overview(ctx context.Context, p *access.Principal) (_ *Overview, err error) {
	defer apperr.Wrap(&err, "paths.Overview")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	o := &Overview{Joinable: map[string]string{}, Today: s.today()}
	if err := s.DB.WithContext(ctx).Where("partner_id = ?", pid).Order("id DESC").Find(&o.History).Error; err != nil {
		return nil, err
	}
	for i := range o.History {
		if o.History[i].Status == StatusActive {
			o.Enrollment = &o.History[i]
		}
	}
	st, err := loadJoinStateWith(ctx, s.DB, pid, o.Enrollment != nil)
	if err != nil {
		return nil, err
	}
	for _, path := range All {
		o.Joinable[path] = st.refusal(path)
	}
	if err := s.DB.WithContext(ctx).Where("partner_id = ?", pid).Order("valid_until DESC").Find(&o.Solutions).Error; err != nil {
		return nil, err
	}
	if o.Enrollment != nil {
		more, err := registeredBlockers(ctx, s.DB, pid)
		if err != nil {
			return nil, err
		}
		o.Blockers = append(ownBlockers(o.Enrollment, st.identities, o.Solutions), more...)
		if o.Open, err = latestOpen(ctx, s.DB, pid); err != nil {
			return nil, err
		}
		if o.Campaign, err = OpenCampaignNow(ctx, s.DB, o.Today); err != nil {
			return nil, err
		}
		e := o.Enrollment
		o.RereviewDue = o.Campaign != nil && e.Path != PathSoftware && e.Stage != StageJoined && e.CertValidUntil != nil &&
			e.CertValidUntil.Year() == o.Campaign.Year+1
		if o.Next() != "" {
			if o.Certificates, err = certificates(ctx, s.DB, pid, o.Today); err != nil {
				return nil, err
			}
		}
	}
	return o, nil
}

func latestOpen(ctx context.Context, g *gorm.DB, partnerID int64) (*approval.Application, error) {
	var apps []approval.Application
	err := g.WithContext(ctx).Where("partner_id = ? AND type IN ? AND state IN ?", partnerID, []string{TypeRole, TypeDiff, TypeRereview},
		[]string{approval.StateSubmitted, approval.StateReturned}).Order("id DESC").Limit(1).Find(&apps).Error
	if err != nil || len(apps) == 0 {
		return nil, err
	}
	return &apps[0], nil
}

// Certificate reads the live enrollment's stage certificate (404 when
// there is none).
func (s Service) Certificate(ctx context.Context, p *access.Principal) (_ *Enrollment, _ *partner.Partner, err error) {
	defer apperr.Wrap(&err, "paths.Certificate")
	pid, err := p.Tenant()
	if err != nil {
		return nil, nil, err
	}
	e, err := live(ctx, s.DB, pid, false)
	if err != nil {
		return nil, nil, err
	}
	if e == nil || e.Stage == StageJoined || e.CertificateNo == nil {
		return nil, nil, apperr.NotFound()
	}
	pt, err := partner.Store{DB: s.DB}.Get(ctx, pid)
	return e, pt, err
}

// VendorView is a partner's path as vendor staff see it on /partners/:id.
type VendorView struct {
	Enrollment  *Enrollment
	Invitations []Invitation
	Solutions   []Solution
}

// ForPartner reads a partner's path for vendor staff; row comes from
// partner.Directory.Get with the actor (which scopes it).
func (s Service) ForPartner(ctx context.Context, p *access.Principal, row *partner.DirectoryRow) (_ *VendorView, err error) {
	defer apperr.Wrap(&err, "paths.ForPartner(%d)", row.ID)
	if _, err := p.Staff(); err != nil {
		return nil, err
	}
	v := &VendorView{}
	if v.Enrollment, err = live(ctx, s.DB, row.ID, false); err != nil {
		return nil, err
	}
	if err := s.DB.WithContext(ctx).Where("partner_id = ?", row.ID).Order("path").Find(&v.Invitations).Error; err != nil {
		return nil, err
	}
	if err := s.DB.WithContext(ctx).Where("partner_id = ?", row.ID).Order("valid_until DESC").Find(&v.Solutions).Error; err != nil {
		return nil, err
	}
	return v, nil
}

// Current is the actor's tenant's live enrollment, or nil (the home
// page's path template, §4.4.2).
func (s Service) Current(ctx context.Context, p *access.Principal) (_ *Enrollment, err error) {
	defer apperr.Wrap(&err, "paths.Current")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	return live(ctx, s.DB, pid, false)
}

// LiveOf is a partner's live enrollment, or nil: what other packages ask
// of a partner's path (the HO eligibility's stage, seed 003 §11.1.3.2).
func LiveOf(ctx context.Context, g *gorm.DB, partnerID int64) (_ *Enrollment, err error) {
	defer apperr.Wrap(&err, "paths.LiveOf(%d)", partnerID)
	return live(ctx, g, partnerID, false)
}

// SolutionsOf lists a partner's solution certifications, newest first:
// the solutions it may apply for a benefit with (build-plan 6.F).
func SolutionsOf(ctx context.Context, g *gorm.DB, partnerID int64) (_ []Solution, err error) {
	defer apperr.Wrap(&err, "paths.SolutionsOf(%d)", partnerID)
	var out []Solution
	err = g.WithContext(ctx).Where("partner_id = ?", partnerID).Order("approved_on DESC, id DESC").Find(&out).Error
	return out, err
}
