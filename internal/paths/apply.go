package paths

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/files"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Application types of the service and PathSI stages and of the re-review.
const (
	TypeRole     = "path_role"     // 角色认证
	TypeDiff     = "path_diff"     // 能力差异化认证
	TypeRereview = "path_rereview" // 年度复核 (§4.2.8)
)

// CoreLabels are the capability labels of which a service partner needs
// at least one for differentiation (§4.2.5, N15).
var CoreLabels = []string{"上云规划实施", "数据库", "昇腾云", "AI平台", "大数据", "云原生", "应用现代化", "SAP"}

// MaxFiles is the most proofs one application attaches.
const MaxFiles = 5

// StageInput is what a partner declares for a stage: the certificate
// counts are not declared but counted from the linked persons'
// certificates (CertificateCounts); the rest is declared with proofs.
type StageInput struct {
	// Service role (§4.2.1, §4.2.2, §4.2.12; N13, N17).
	Entry       int    `json:"entry_certs,omitempty"`   // HCCDA / HCIA
	Working     int    `json:"working_certs,omitempty"` // HCCDP / HCIP
	HCSAPersons int    `json:"hcsa_hcsp_persons,omitempty"`
	CaseName    string `json:"case_name,omitempty"`
	CaseDate    string `json:"case_date,omitempty"` // YYYY-MM-DD
	// Service differentiation (§4.2.5, §4.2.6; N15).
	Labels      []string `json:"labels,omitempty"`       // of CoreLabels
	OtherLabels int      `json:"other_labels,omitempty"` // other valid labels
	TeamSize    int      `json:"team_size,omitempty"`
	Practice    string   `json:"practice,omitempty"`
	// PathSI (§4.3.3–4.3.10; N18, N19).
	BPInterlock bool   `json:"bp_interlock,omitempty"`
	Experts     int    `json:"experts,omitempty"` // presales experts with HCIP / HCCDP
	HCIE        int    `json:"hcie,omitempty"`    // experts with HCIE / HCCDE
	Offerings   int    `json:"offerings,omitempty"`
	Note        string `json:"note,omitempty"`
}

// StagePayload is a path application's payload: the enrollment, its path,
// the stage applied for and the declaration.
type StagePayload struct {
	EnrollmentID int64  `json:"enrollment_id"`
	Path         string `json:"path"`
	To           string `json:"to"`
	StageInput
}

func check(name string, ok bool, msg string, args map[string]any) approval.CheckResult {
	out := approval.CheckFail
	if ok {
		out = approval.CheckPass
	}
	return approval.CheckResult{Name: name, Outcome: out, Message: msg, Args: args}
}

// StageChecks compares a declaration with the thresholds of a stage
// (today is the China date, for the case's 12 months).
func StageChecks(path, to string, in StageInput, today time.Time) []approval.CheckResult {
	labels := 0
	core := 0
	for _, l := range in.Labels {
		if slices.Contains(CoreLabels, l) {
			core++
		}
	}
	labels = core + max(in.OtherLabels, 0)
	switch {
	case path == PathService && to == StageRole:
		caseOK := false
		if d, err := time.Parse(time.DateOnly, in.CaseDate); err == nil {
			caseOK = !d.After(today) && !d.Before(today.AddDate(-1, 0, 0)) && strings.TrimSpace(in.CaseName) != ""
		}
		return []approval.CheckResult{
			check("path.check.certs", in.Working >= 2 && in.Entry+in.Working >= 4, "path.check.certs.msg",
				map[string]any{"Entry": in.Entry, "Working": in.Working}),
			check("path.check.hcsa", in.HCSAPersons >= 1, "path.check.hcsa.msg", map[string]any{"N": in.HCSAPersons}),
			check("path.check.case", caseOK, "path.check.case.msg", map[string]any{"Date": in.CaseDate}),
		}
	case path == PathService && to == StageDiff:
		return []approval.CheckResult{
			check("path.check.labels", labels >= 2 && core >= 1, "path.check.labels.msg", map[string]any{"N": labels, "Core": core}),
			check("path.check.team", in.TeamSize >= 1, "path.check.team.msg", map[string]any{"N": in.TeamSize}),
			check("path.check.practice", strings.TrimSpace(in.Practice) != "", "path.check.practice.msg", nil),
			{Name: "path.check.bp_review", Outcome: approval.CheckInfo, Message: "path.check.bp_review.msg"},
		}
	case path == PathSI && to == StageRole:
		return []approval.CheckResult{
			check("path.check.interlock", in.BPInterlock, "path.check.interlock.msg", nil),
			check("path.check.experts", in.Experts >= 4, "path.check.experts.msg", map[string]any{"N": in.Experts, "Min": 4}),
			check("path.check.offerings", in.Offerings+labels >= 1, "path.check.offerings.role", map[string]any{"Offerings": in.Offerings, "Labels": labels}),
		}
	case path == PathSI && to == StageDiff:
		return []approval.CheckResult{
			check("path.check.interlock", in.BPInterlock, "path.check.interlock.msg", nil),
			check("path.check.experts", in.Experts >= 10, "path.check.experts.msg", map[string]any{"N": in.Experts, "Min": 10}),
			check("path.check.hcie", in.HCIE >= 1, "path.check.hcie.msg", map[string]any{"N": in.HCIE}),
			check("path.check.offerings", in.Offerings+labels >= 3 && labels >= 2, "path.check.offerings.diff",
				map[string]any{"Offerings": in.Offerings, "Labels": labels}),
		}
	}
	return nil
}

func failed(cs []approval.CheckResult) bool {
	return slices.ContainsFunc(cs, func(c approval.CheckResult) bool { return c.Outcome == approval.CheckFail })
}

// ChecksFailed is the refusal of a declaration below the thresholds; the
// page shows the check list it carries.
type ChecksFailed struct{ Checks []approval.CheckResult }

func (e *ChecksFailed) Error() string { return "path.err.checks_failed" }

// Apply submits the tenant's application for its path's next stage (its
// main account): the stage must be the next one (no skipping, §4.2.3),
// the checks must pass (else *ChecksFailed), the proofs (employment
// certificates, case material) attached — at least one.
func (s Service) Apply(ctx context.Context, p *access.Principal, to string, in StageInput, proofs []files.Upload) (_ *approval.Application, err error) {
	defer apperr.Wrap(&err, "paths.Apply(%s)", to)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if !p.IsMain {
		return nil, apperr.Forbidden()
	}
	in.Note = strings.TrimSpace(in.Note)
	in.CaseName = strings.TrimSpace(in.CaseName)
	in.Practice = strings.TrimSpace(in.Practice)
	if utf8.RuneCountInString(in.Note) > 500 || utf8.RuneCountInString(in.CaseName) > 100 || utf8.RuneCountInString(in.Practice) > 1000 {
		return nil, apperr.FieldError("note", "path.err.too_long")
	}
	for _, n := range []int{in.Entry, in.Working, in.HCSAPersons, in.OtherLabels, in.TeamSize, in.Experts, in.HCIE, in.Offerings} {
		if n < 0 || n > 100000 {
			return nil, apperr.FieldError("counts", "path.err.count")
		}
	}
	if len(proofs) == 0 {
		return nil, apperr.FieldError("files", "path.err.proofs")
	}
	if len(proofs) > MaxFiles {
		return nil, apperr.FieldError("files", "path.err.too_many_files")
	}
	var out *approval.Application
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := (partner.Store{DB: tx}).Lock(ctx, pid, "UPDATE"); err != nil {
			return err
		}
		e, err := live(ctx, tx, pid, true)
		if err != nil {
			return err
		}
		if e == nil {
			return apperr.Conflict("path.err.no_path")
		}
		if e.Path != PathService && e.Path != PathSI {
			return apperr.Conflict("path.err.no_application")
		}
		switch {
		case to == StageRole && e.Stage == StageJoined, to == StageDiff && e.Stage == StageRole:
		case to == StageDiff && e.Stage == StageJoined:
			return apperr.Conflict("path.err.no_skip")
		default:
			return apperr.Conflict("path.err.stage_reached")
		}
		if open, err := openApplication(ctx, tx, pid); err != nil || open {
			if err == nil {
				err = apperr.Conflict("path.err.open_application")
			}
			return err
		}
		c, err := certificates(ctx, tx, pid, s.today())
		if err != nil {
			return err
		}
		if c != nil {
			in.Entry, in.Working, in.HCSAPersons, in.Experts, in.HCIE = c.Entry, c.Working, c.HCSAPersons, c.Experts, c.HCIE
		}
		checks := StageChecks(e.Path, to, in, s.today())
		if failed(checks) {
			return &ChecksFailed{Checks: checks}
		}
		fileIDs, err := files.SaveDocuments(ctx, tx, pid, p.UserID, s.now(), proofs)
		if err != nil {
			return err
		}
		typ := TypeRole
		if to == StageDiff {
			typ = TypeDiff
		}
		pt, err := partner.Store{DB: tx}.Get(ctx, pid)
		if err != nil {
			return err
		}
		out, err = approval.Engine{DB: s.DB, Clock: s.Clock}.SubmitNew(ctx, tx, p, approval.New{Type: typ, Title: pt.Name,
			Payload: StagePayload{EnrollmentID: e.ID, Path: e.Path, To: to, StageInput: in}, FileIDs: fileIDs})
		return err
	})
	return out, err
}

// Certificates are the tenant's certificate counts as the stage checks
// read them today (nil when no source is registered).
func (s Service) Certificates(ctx context.Context, p *access.Principal) (_ *CertificateCounts, err error) {
	defer apperr.Wrap(&err, "paths.Certificates")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	return certificates(ctx, s.DB, pid, s.today())
}

// openApplication reports an open stage or re-review application.
func openApplication(ctx context.Context, g *gorm.DB, partnerID int64) (bool, error) {
	return approval.HasOpen(ctx, g, partnerID, TypeRole, TypeDiff, TypeRereview)
}

// Rereview submits the tenant's re-review material while a campaign is
// open (§4.2.8): a certified service or PathSI account whose certificate
// ends on the next 31 January.
func (s Service) Rereview(ctx context.Context, p *access.Principal, note string, proofs []files.Upload) (_ *approval.Application, err error) {
	defer apperr.Wrap(&err, "paths.Rereview")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if !p.IsMain {
		return nil, apperr.Forbidden()
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 500 {
		return nil, apperr.FieldError("note", "path.err.too_long")
	}
	if len(proofs) == 0 || len(proofs) > MaxFiles {
		return nil, apperr.FieldError("files", "path.err.proofs")
	}
	var out *approval.Application
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		e, err := live(ctx, tx, pid, true)
		if err != nil {
			return err
		}
		c, err := OpenCampaignNow(ctx, tx, s.today())
		if err != nil {
			return err
		}
		if c == nil {
			return apperr.Conflict("path.err.no_campaign")
		}
		if e == nil || e.Stage == StageJoined || e.CertValidUntil == nil || e.CertValidUntil.Year() != c.Year+1 || e.Path == PathSoftware {
			return apperr.Conflict("path.err.not_due")
		}
		if open, err := openApplication(ctx, tx, pid); err != nil || open {
			if err == nil {
				err = apperr.Conflict("path.err.open_application")
			}
			return err
		}
		fileIDs, err := files.SaveDocuments(ctx, tx, pid, p.UserID, s.now(), proofs)
		if err != nil {
			return err
		}
		pt, err := partner.Store{DB: tx}.Get(ctx, pid)
		if err != nil {
			return err
		}
		out, err = approval.Engine{DB: s.DB, Clock: s.Clock}.SubmitNew(ctx, tx, p, approval.New{Type: TypeRereview, Title: pt.Name,
			Payload: StagePayload{EnrollmentID: e.ID, Path: e.Path, To: e.Stage, StageInput: StageInput{Note: note}}, FileIDs: fileIDs})
		return err
	})
	return out, err
}

func init() {
	approval.Register(stageType{key: TypeRole})
	approval.Register(stageType{key: TypeDiff})
	approval.Register(stageType{key: TypeRereview})
}

// stageType is one of the path application types; reviewed by the
// partner's ecosystem manager in 5 working days (inferred).
type stageType struct {
	approval.Base
	key string
}

func (t stageType) Key() string { return t.key }
func (stageType) SLA() int      { return 5 }

func (stageType) Validate(raw json.RawMessage) error {
	var pl StagePayload
	if err := json.Unmarshal(raw, &pl); err != nil || pl.EnrollmentID == 0 {
		return apperr.Invalid("path.err.payload")
	}
	return nil
}

// AutoCheck records the check list for the reviewer (a re-review has
// none: the reviewer reads the material).
func (t stageType) AutoCheck(ctx context.Context, tx *gorm.DB, app *approval.Application) (approval.Decision, []approval.CheckResult, error) {
	var pl StagePayload
	if err := app.DecodePayload(&pl); err != nil {
		return approval.Manual, nil, err
	}
	if t.key == TypeRereview {
		return approval.Manual, nil, nil
	}
	return approval.Manual, StageChecks(pl.Path, pl.To, pl.StageInput, clock.ChinaDate(app.UpdatedAt)), nil
}

func hookService(tx *gorm.DB, app *approval.Application) Service {
	return Service{DB: tx, Clock: app.DecisionClock()}
}

// OnApprove moves the stage (or renews the certificate of a re-review).
func (t stageType) OnApprove(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	var pl StagePayload
	if err := app.DecodePayload(&pl); err != nil {
		return err
	}
	s := hookService(tx, app)
	e, err := live(ctx, tx, app.PartnerID, true)
	if err != nil {
		return err
	}
	if e == nil || e.ID != pl.EnrollmentID || e.Path != pl.Path {
		return apperr.Conflict("path.err.changed")
	}
	if t.key != TypeRereview {
		// Only the next stage: a certificate that lapsed while the
		// application waited does not let it jump (§4.2.3).
		if (pl.To == StageRole && e.Stage != StageJoined) || (pl.To == StageDiff && e.Stage != StageRole) {
			return apperr.Conflict("path.err.changed")
		}
		return s.setStage(ctx, tx, e, pl.To, "stage")
	}
	// A re-review renews a certificate that is still there (the sweep
	// holds an open re-review's certificate past its end).
	if e.Stage == StageJoined || e.CertValidUntil == nil {
		return apperr.Conflict("path.err.changed")
	}
	return s.renew(ctx, tx, e, e.CertValidUntil.AddDate(1, 0, 0))
}

// OnReject cancels the certificate of a failed re-review (back to joined);
// a stage application's rejection changes nothing.
func (t stageType) OnReject(ctx context.Context, tx *gorm.DB, app *approval.Application) error {
	if t.key != TypeRereview {
		return nil
	}
	var pl StagePayload
	if err := app.DecodePayload(&pl); err != nil {
		return err
	}
	e, err := live(ctx, tx, app.PartnerID, true)
	if err != nil || e == nil || e.ID != pl.EnrollmentID {
		return err
	}
	return hookService(tx, app).setStage(ctx, tx, e, StageJoined, "cancel")
}

// renew moves a stage certificate's end to next (audited).
func (s Service) renew(ctx context.Context, tx *gorm.DB, e *Enrollment, next time.Time) error {
	if err := tx.WithContext(ctx).Model(&Enrollment{}).Where("id = ?", e.ID).
		Updates(map[string]any{"cert_valid_until": next, "updated_at": s.now()}).Error; err != nil {
		return err
	}
	before := ""
	if e.CertValidUntil != nil {
		before = e.CertValidUntil.Format(time.DateOnly)
	}
	e.CertValidUntil = &next
	return audit.Record(ctx, tx, audit.Change{At: s.now(), PartnerID: e.PartnerID, Action: "path.renew", ObjectType: "path_enrollment",
		ObjectID: e.ID, Before: map[string]any{"cert_valid_until": before},
		After: map[string]any{"cert_valid_until": next.Format(time.DateOnly)}})
}
