package approval

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/files"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
)

// Query filters, sorts and pages a list of applications.
type Query struct {
	Type    string
	State   string
	Partner string // partner name contains (vendor inbox)
	Overdue bool   // submitted and past the due date
	Stage   int    // review stage (0: any)
	Sort    string // due, submitted, created (default: due for the inbox, created for partners)
	Desc    bool
	Page    int
	PerPage int
}

// Row is an application with the names a list shows.
type Row struct {
	Application
	PartnerName   string
	ReviewerName  string
	ApplicantName string
	DeciderName   string
}

const rowSelect = `applications.*, p.name AS partner_name,
	COALESCE(NULLIF(r.display_name, ''), r.login_name, '') AS reviewer_name,
	COALESCE(NULLIF(ap.display_name, ''), ap.login_name, '') AS applicant_name,
	COALESCE(NULLIF(d.display_name, ''), d.login_name, '') AS decider_name`

func (e Engine) rows(ctx context.Context) *gorm.DB {
	return e.DB.WithContext(ctx).Table("applications").Select(rowSelect).
		Joins("JOIN partners p ON p.id = applications.partner_id").
		Joins("LEFT JOIN users r ON r.id = applications.reviewer_id").
		Joins("LEFT JOIN users ap ON ap.id = applications.applicant_user_id").
		Joins("LEFT JOIN users d ON d.id = applications.decided_by")
}

func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

func (e Engine) filter(q *gorm.DB, f Query) *gorm.DB {
	if f.Type != "" {
		q = q.Where("applications.type = ?", f.Type)
	}
	if f.State != "" {
		q = q.Where("applications.state = ?", f.State)
	}
	if f.Stage > 0 {
		q = q.Where("applications.stage = ?", f.Stage)
	}
	if s := strings.TrimSpace(f.Partner); s != "" {
		q = q.Where("p.name ILIKE ?", likeEscape(s))
	}
	if f.Overdue {
		q = q.Where("applications.state = 'submitted' AND applications.due_at < ?", e.now())
	}
	return q
}

func (e Engine) page(q *gorm.DB, f Query, defSort string) ([]Row, int64, error) {
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	if f.PerPage <= 0 || f.PerPage > 100 {
		f.PerPage = 20
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	sort := f.Sort
	if sort == "" {
		sort = defSort
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	switch sort {
	case "due":
		q = q.Order("applications.due_at " + dir + " NULLS LAST")
	case "submitted":
		q = q.Order("applications.submitted_at " + dir + " NULLS LAST")
	default:
		q = q.Order("applications.created_at " + dir)
	}
	var out []Row
	err := q.Order("applications.id " + dir).Offset((f.Page - 1) * f.PerPage).Limit(f.PerPage).Scan(&out).Error
	return out, total, err
}

// Inbox lists the applications the vendor actor may see.
func (e Engine) Inbox(ctx context.Context, p *access.Principal, f Query) (_ []Row, _ int64, err error) {
	defer apperr.Wrap(&err, "approval.Inbox")
	if err := staff(p); err != nil {
		return nil, 0, err
	}
	q, err := vendorScope(ctx, e.DB, e.rows(ctx), p)
	if err != nil {
		return nil, 0, err
	}
	return e.page(e.filter(q, f), f, "due")
}

// ForPartner lists the actor's tenant's applications.
func (e Engine) ForPartner(ctx context.Context, p *access.Principal, f Query) (_ []Row, _ int64, err error) {
	defer apperr.Wrap(&err, "approval.ForPartner")
	pid, err := tenant(p)
	if err != nil {
		return nil, 0, err
	}
	q := e.filter(e.rows(ctx).Where("applications.partner_id = ?", pid), f)
	if f.Sort == "" {
		f.Desc = true
	}
	return e.page(q, f, "created")
}

// MaxStages is the most stages a registered type reviews in (the inbox
// offers its stage filter when it is more than one).
func MaxStages() int {
	n := 1
	for _, k := range TypeKeys() {
		if t, ok := Lookup(k); ok {
			n = max(n, len(StagesOf(t)))
		}
	}
	return n
}

// Counts are the numbers a list's tabs show.
type Counts struct {
	All, Draft, Submitted, Returned, Approved, Rejected, Withdrawn, Overdue int64
}

func (e Engine) counts(q *gorm.DB) (Counts, error) {
	type row struct {
		State   string
		N       int64
		Overdue int64
	}
	var rows []row
	if err := q.Select("applications.state AS state, count(*) AS n, count(*) FILTER (WHERE applications.state = 'submitted' AND applications.due_at < ?) AS overdue", e.now()).
		Group("applications.state").Scan(&rows).Error; err != nil {
		return Counts{}, err
	}
	var c Counts
	for _, r := range rows {
		c.All += r.N
		c.Overdue += r.Overdue
		switch r.State {
		case StateDraft:
			c.Draft = r.N
		case StateSubmitted:
			c.Submitted = r.N
		case StateReturned:
			c.Returned = r.N
		case StateApproved:
			c.Approved = r.N
		case StateRejected:
			c.Rejected = r.N
		case StateWithdrawn:
			c.Withdrawn = r.N
		}
	}
	return c, nil
}

// InboxCounts counts the vendor actor's applications by state (filtered
// by type and partner, not by state).
func (e Engine) InboxCounts(ctx context.Context, p *access.Principal, f Query) (_ Counts, err error) {
	defer apperr.Wrap(&err, "approval.InboxCounts")
	if err := staff(p); err != nil {
		return Counts{}, err
	}
	f.State, f.Overdue = "", false
	q, err := vendorScope(ctx, e.DB, e.DB.WithContext(ctx).Table("applications").Joins("JOIN partners p ON p.id = applications.partner_id"), p)
	if err != nil {
		return Counts{}, err
	}
	return e.counts(e.filter(q, f))
}

// PartnerCounts counts the actor's tenant's applications by state.
func (e Engine) PartnerCounts(ctx context.Context, p *access.Principal) (_ Counts, err error) {
	defer apperr.Wrap(&err, "approval.PartnerCounts")
	pid, err := tenant(p)
	if err != nil {
		return Counts{}, err
	}
	return e.counts(e.DB.WithContext(ctx).Table("applications").Where("applications.partner_id = ?", pid))
}

// ResponsibleFor counts the partners a vendor actor looks after (all
// partners for the vendor administrator, none for other vendor roles).
func (e Engine) ResponsibleFor(ctx context.Context, p *access.Principal) (_ int64, err error) {
	defer apperr.Wrap(&err, "approval.ResponsibleFor")
	if err := staff(p); err != nil {
		return 0, err
	}
	partners := partner.Store{DB: e.DB}
	switch p.VendorRole {
	case "vendor_admin":
		return partners.Count(ctx)
	case "eco_manager":
		counts, err := partners.CountByEcoManager(ctx, []int64{p.UserID})
		return counts[p.UserID], err
	}
	return 0, nil
}

// Detail is an application with everything its page shows.
type Detail struct {
	Row
	Partner *partner.Partner
	Events  []Event
	Files   []files.FileInfo
	Checks  []CheckResult
	Overdue bool
	Decided bool
	// Stages are the type's review stages (one for most types).
	Stages []Stage
}

// StageName is the catalog id of the application's current stage.
func (d *Detail) StageName() string {
	if d.Stage >= 1 && d.Stage <= len(d.Stages) {
		return "approval.stage." + d.Stages[d.Stage-1].Key
	}
	return "approval.stage.review"
}

// LastStage reports the application at its type's last stage (approving
// it decides the application).
func (d *Detail) LastStage() bool { return d.Stage >= len(d.Stages) }

func (e Engine) detail(ctx context.Context, q *gorm.DB) (*Detail, error) {
	var rows []Row
	if err := q.Limit(1).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.NotFound()
	}
	d := &Detail{Row: rows[0]}
	d.Checks = d.CheckResults()
	d.Overdue = d.Application.Overdue(e.now())
	d.Decided = d.State == StateApproved || d.State == StateRejected
	d.Stages = []Stage{{Key: "review"}}
	if t, ok := Lookup(d.Type); ok {
		d.Stages = StagesOf(t)
	}
	p, err := partner.Store{DB: e.DB}.Get(ctx, d.PartnerID)
	if err != nil {
		return nil, err
	}
	d.Partner = p
	if err := e.DB.WithContext(ctx).Where("application_id = ?", d.ID).Order("at, id").Find(&d.Events).Error; err != nil {
		return nil, err
	}
	var attached []int64
	if err := e.DB.WithContext(ctx).Table("application_attachments").Where("application_id = ?", d.ID).
		Pluck("file_id", &attached).Error; err != nil {
		return nil, err
	}
	if d.Files, err = files.Infos(ctx, e.DB, d.PartnerID, attached); err != nil {
		return nil, err
	}
	return d, nil
}

// DetailForPartner returns an application of the actor's tenant; another
// tenant's is not found.
func (e Engine) DetailForPartner(ctx context.Context, p *access.Principal, id int64) (_ *Detail, err error) {
	defer apperr.Wrap(&err, "approval.DetailForPartner(%d)", id)
	pid, err := tenant(p)
	if err != nil {
		return nil, err
	}
	return e.detail(ctx, e.rows(ctx).Where("applications.id = ? AND applications.partner_id = ?", id, pid))
}

// DetailForVendor returns an application the vendor actor may see.
func (e Engine) DetailForVendor(ctx context.Context, p *access.Principal, id int64) (_ *Detail, err error) {
	defer apperr.Wrap(&err, "approval.DetailForVendor(%d)", id)
	if err := staff(p); err != nil {
		return nil, err
	}
	q, err := vendorScope(ctx, e.DB, e.rows(ctx).Where("applications.id = ?", id), p)
	if err != nil {
		return nil, err
	}
	return e.detail(ctx, q)
}

// Latest returns the actor's tenant's most recent application of a type,
// or nil.
func (e Engine) Latest(ctx context.Context, p *access.Principal, typ string) (_ *Row, err error) {
	defer apperr.Wrap(&err, "approval.Latest")
	pid, err := tenant(p)
	if err != nil {
		return nil, err
	}
	var rows []Row
	err = e.rows(ctx).Where("applications.partner_id = ? AND applications.type = ?", pid, typ).
		Order("applications.created_at DESC, applications.id DESC").Limit(1).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0], nil
}

// ByIDs loads applications of one partner by id (other partners' ids are
// absent from the map), for a type's own pages that show their states.
func (e Engine) ByIDs(ctx context.Context, partnerID int64, ids []int64) (_ map[int64]*Application, err error) {
	defer apperr.Wrap(&err, "approval.ByIDs")
	out := map[int64]*Application{}
	if len(ids) == 0 {
		return out, nil
	}
	var apps []Application
	if err := e.DB.WithContext(ctx).Where("partner_id = ? AND id IN ?", partnerID, ids).Find(&apps).Error; err != nil {
		return nil, err
	}
	for i := range apps {
		out[apps[i].ID] = &apps[i]
	}
	return out, nil
}

// HasOpen reports whether a partner has an open (submitted or returned)
// application of one of the types, with g (a type's own rule: one open
// application at a time).
func HasOpen(ctx context.Context, g *gorm.DB, partnerID int64, types ...string) (bool, error) {
	open, err := OpenFor(ctx, g, []int64{partnerID}, types...)
	return open[partnerID], err
}

// OpenFor reports, for a batch of partners, which have an open
// application of one of the types (one query).
func OpenFor(ctx context.Context, g *gorm.DB, partnerIDs []int64, types ...string) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(partnerIDs) == 0 {
		return out, nil
	}
	var ids []int64
	err := g.WithContext(ctx).Model(&Application{}).Distinct("partner_id").Where("partner_id IN ? AND type IN ? AND state IN ?",
		partnerIDs, types, []string{StateSubmitted, StateReturned}).Pluck("partner_id", &ids).Error
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// Attached lists which of a tenant's files are attachments of an
// application, for an owner that deletes its own files (a dropped draft)
// and must keep what an application's history still lists.
func Attached(ctx context.Context, g *gorm.DB, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var kept []int64
	if err := g.WithContext(ctx).Table("application_attachments").Where("file_id IN ?", ids).Distinct("file_id").Pluck("file_id", &kept).Error; err != nil {
		return nil, err
	}
	for _, id := range kept {
		out[id] = true
	}
	return out, nil
}
