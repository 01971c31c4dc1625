package library

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/files"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Categories of documents (§14.1.1).
var Categories = []string{"policy", "benefit", "marketing", "product", "solution", "other"}

// States of a document.
const (
	StatusActive    = "active"
	StatusTakenDown = "taken_down" // 下架
)

// Audiences are the identities a document may be limited to: the
// programmes and the development paths (§14.1.2).
var Audiences = append([]string{access.IdentitySolutionProvider, access.IdentityMasterDistributor, access.IdentityCloudReseller,
	access.IdentityPCE}, access.PathIdentities...)

// ErrNoAccess is the page's answer to a partner in no programme or path.
const ErrNoAccess = "library.err.no_access"

// MaxFileSize is a document's largest file (the files table's limit).
const MaxFileSize = 10 << 20

// Document is a row of library_documents.
type Document struct {
	ID           int64
	Title        string
	Keywords     string
	Category     string
	Directory    string
	FileID       int64
	FileName     string
	ContentType  string
	Size         int64
	Downloadable bool
	Audience     []string `gorm:"serializer:json"`
	Status       string
	PublishedAt  time.Time
	CreatedBy    *int64
	UpdatedAt    time.Time
}

// TableName maps Document to library_documents.
func (Document) TableName() string { return "library_documents" }

// Service is 资料库 and 资料管理.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s Service) now() time.Time { return s.Clock.Now().UTC() }

// audienceOf is the actor's identities that open the library, or
// ErrNoAccess.
func audienceOf(p *access.Principal) ([]string, error) {
	if _, err := p.Tenant(); err != nil {
		return nil, err
	}
	var out []string
	for _, id := range p.Identities {
		if slices.Contains(Audiences, id) {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return nil, apperr.Conflict(ErrNoAccess)
	}
	return out, nil
}

// Filter narrows the library: a title (fuzzy), a keyword, a category, a
// directory (and below), a page; the vendor's list also by state.
type Filter struct {
	Title, Keyword, Category, Directory, Status string
	Page, Per                                   int
}

// PerPage is a page of documents.
const PerPage = 20

func (f *Filter) apply(q *gorm.DB) *gorm.DB {
	if t := strings.TrimSpace(f.Title); t != "" {
		// Fuzzy: every word of the query somewhere in the title.
		for _, w := range strings.Fields(t) {
			q = q.Where("title ILIKE ?", db.Contains(w))
		}
	}
	if k := strings.TrimSpace(f.Keyword); k != "" {
		q = q.Where("(keywords ILIKE ? OR title ILIKE ?)", db.Contains(k), db.Contains(k))
	}
	if slices.Contains(Categories, f.Category) {
		q = q.Where("category = ?", f.Category)
	}
	if d := strings.Trim(strings.TrimSpace(f.Directory), "/"); d != "" {
		q = q.Where("(directory = ? OR directory LIKE ?)", d, db.EscapeLike(d)+"/%")
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	if f.Per <= 0 || f.Per > 100 {
		f.Per = PerPage
	}
	return q
}

// visible narrows to the active documents an audience may see.
func visible(q *gorm.DB, audience []string) *gorm.DB {
	return q.Where("status = ? AND (jsonb_array_length(audience) = 0 OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(audience) a WHERE a IN ?))",
		StatusActive, audience)
}

// List is one page of the documents the actor's partner may see, newest
// first, and the directories it may filter by.
func (s Service) List(ctx context.Context, p *access.Principal, f Filter) (_ []Document, total int64, dirs []string, err error) {
	defer apperr.Wrap(&err, "library.List")
	aud, err := audienceOf(p)
	if err != nil {
		return nil, 0, nil, err
	}
	base := visible(s.DB.WithContext(ctx).Model(&Document{}), aud)
	if err := base.Session(&gorm.Session{}).Distinct("directory").Order("directory").Pluck("directory", &dirs).Error; err != nil {
		return nil, 0, nil, err
	}
	q := f.apply(base)
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, nil, err
	}
	var out []Document
	err = q.Order("published_at DESC, id DESC").Limit(f.Per).Offset((f.Page - 1) * f.Per).Find(&out).Error
	return out, total, dirs, err
}

// Get reads a document the actor's partner may see (taken down, limited
// to others, or none: 404).
func (s Service) Get(ctx context.Context, p *access.Principal, id int64) (_ *Document, err error) {
	defer apperr.Wrap(&err, "library.Get(%d)", id)
	aud, err := audienceOf(p)
	if err != nil {
		return nil, err
	}
	var d Document
	if err := visible(s.DB.WithContext(ctx).Where("id = ?", id), aud).First(&d).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &d, nil
}

// File is a visible document's file; download asks for the attachment,
// which a view-only document refuses (404, §14.1.4).
func (s Service) File(ctx context.Context, p *access.Principal, id int64, download bool) (_ *Document, _ *files.File, err error) {
	defer apperr.Wrap(&err, "library.File(%d)", id)
	d, err := s.Get(ctx, p, id)
	if err != nil {
		return nil, nil, err
	}
	if download && !d.Downloadable {
		return nil, nil, apperr.NotFound()
	}
	f, err := files.GetVendor(ctx, s.DB, d.FileID)
	return d, f, err
}

// Input is the vendor's document form.
type Input struct {
	Title, Keywords, Category, Directory string
	Downloadable                         bool
	Audience                             []string
}

func (in Input) check() (Input, error) {
	f := apperr.Fields{}
	in.Title = strings.TrimSpace(in.Title)
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		f.Add("title", "library.err.required")
	case n > 200:
		f.Add("title", "library.err.too_long")
	}
	in.Keywords = strings.Join(strings.FieldsFunc(in.Keywords, func(r rune) bool { return r == ',' || r == '，' || r == ';' || r == '；' }), ",")
	if utf8.RuneCountInString(in.Keywords) > 200 {
		f.Add("keywords", "library.err.too_long")
	}
	if !slices.Contains(Categories, in.Category) {
		f.Add("category", "library.err.category")
	}
	parts := strings.FieldsFunc(in.Directory, func(r rune) bool { return r == '/' || r == '>' })
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	parts = slices.DeleteFunc(parts, func(s string) bool { return s == "" })
	in.Directory = strings.Join(parts, "/")
	switch n := utf8.RuneCountInString(in.Directory); {
	case n == 0:
		f.Add("directory", "library.err.required")
	case n > 200:
		f.Add("directory", "library.err.too_long")
	}
	var aud []string
	for _, a := range in.Audience {
		if slices.Contains(Audiences, a) && !slices.Contains(aud, a) {
			aud = append(aud, a)
		}
	}
	in.Audience = aud
	if in.Audience == nil {
		in.Audience = []string{}
	}
	return in, f.Err()
}

// Publish uploads a document (PDF, JPEG or PNG, at most 10 MB) and puts it
// in the library at once.
func (s Service) Publish(ctx context.Context, p *access.Principal, in Input, up files.Upload) (_ *Document, err error) {
	defer apperr.Wrap(&err, "library.Publish")
	uid, err := p.VendorAdmin()
	if err != nil {
		return nil, err
	}
	in, ferr := in.check()
	if len(up.Data) == 0 {
		fe, _ := apperr.As(ferr)
		fields := apperr.Fields{}
		if fe != nil {
			for k, v := range fe.Fields {
				fields.Add(k, v)
			}
		}
		fields.Add("file", "library.err.file")
		return nil, fields.Err()
	}
	if ferr != nil {
		return nil, ferr
	}
	now := s.now()
	var d *Document
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		up.UserID, up.At = uid, now
		fid, ct, err := files.SaveVendor(ctx, tx, up, files.Documents, MaxFileSize, "file")
		if err != nil {
			return err
		}
		d = &Document{Title: in.Title, Keywords: in.Keywords, Category: in.Category, Directory: in.Directory, FileID: fid,
			FileName: files.CleanName(up.Name, "document"+files.Ext(ct)), ContentType: ct, Size: int64(len(up.Data)),
			Downloadable: in.Downloadable, Audience: in.Audience, Status: StatusActive, PublishedAt: now, CreatedBy: &uid, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(d).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, Action: "library.publish", ObjectType: "library_document", ObjectID: d.ID,
			After: map[string]any{"title": d.Title, "category": d.Category, "directory": d.Directory, "downloadable": d.Downloadable}})
	})
	return d, err
}

// VendorList is every document for 资料管理, taken-down ones included.
func (s Service) VendorList(ctx context.Context, p *access.Principal, f Filter) (_ []Document, total int64, err error) {
	defer apperr.Wrap(&err, "library.VendorList")
	if _, err := p.VendorAdmin(); err != nil {
		return nil, 0, err
	}
	q := f.apply(s.DB.WithContext(ctx).Model(&Document{}))
	if f.Status == StatusActive || f.Status == StatusTakenDown {
		q = q.Where("status = ?", f.Status)
	}
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []Document
	err = q.Order("published_at DESC, id DESC").Limit(f.Per).Offset((f.Page - 1) * f.Per).Find(&out).Error
	return out, total, err
}

// VendorGet reads any document for 资料管理.
func (s Service) VendorGet(ctx context.Context, p *access.Principal, id int64) (_ *Document, err error) {
	defer apperr.Wrap(&err, "library.VendorGet(%d)", id)
	if _, err := p.VendorAdmin(); err != nil {
		return nil, err
	}
	return lock(ctx, s.DB, id, false)
}

func lock(ctx context.Context, g *gorm.DB, id int64, forUpdate bool) (*Document, error) {
	q := g.WithContext(ctx).Where("id = ?", id)
	if forUpdate {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var d Document
	if err := q.First(&d).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &d, nil
}

// Update changes a document's description, downloads and audience.
func (s Service) Update(ctx context.Context, p *access.Principal, id int64, in Input) (err error) {
	defer apperr.Wrap(&err, "library.Update(%d)", id)
	if _, err := p.VendorAdmin(); err != nil {
		return err
	}
	if in, err = in.check(); err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		d, err := lock(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(d).Updates(map[string]any{"title": in.Title, "keywords": in.Keywords, "category": in.Category,
			"directory": in.Directory, "downloadable": in.Downloadable, "audience": audienceJSON(in.Audience),
			"updated_at": now}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, Action: "library.update", ObjectType: "library_document", ObjectID: id,
			Before: map[string]any{"title": d.Title, "directory": d.Directory, "downloadable": d.Downloadable},
			After:  map[string]any{"title": in.Title, "directory": in.Directory, "downloadable": in.Downloadable}})
	})
}

// SetStatus is 下架 (taken_down) or 重新上架 (active).
func (s Service) SetStatus(ctx context.Context, p *access.Principal, id int64, to string) (err error) {
	defer apperr.Wrap(&err, "library.SetStatus(%d)", id)
	if _, err := p.VendorAdmin(); err != nil {
		return err
	}
	if to != StatusActive && to != StatusTakenDown {
		return apperr.Invalid("error.bad_request")
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		d, err := lock(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if d.Status == to {
			return apperr.Conflict("library.err.state")
		}
		if err := tx.WithContext(ctx).Model(d).Updates(map[string]any{"status": to, "updated_at": now}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, Action: "library.status", ObjectType: "library_document", ObjectID: id,
			Before: map[string]any{"status": d.Status}, After: map[string]any{"status": to}})
	})
}

// audienceJSON is the audience as the jsonb column holds it.
func audienceJSON(a []string) string {
	b, _ := json.Marshal(a)
	return string(b)
}
