package people

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/files"
	"partnercenter/internal/identity"
	"partnercenter/internal/notify"
	"partnercenter/internal/paths"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/sheet"
)

// Certificate types (§7.2.6): 开发者认证 and 专业认证 come from 云学堂;
// 职业认证 (HCIA/HCIP/HCIE) are uploaded and reviewed.
var (
	SyncedTypes   = []string{"HCCDA", "HCCDP", "HCCDE", "HCSA", "HCSP"}
	UploadedTypes = []string{"HCIA", "HCIP", "HCIE"}
)

// Directions of an uploaded certificate: the seed's list has no "Cloud
// Migration", whose certificates are synced (000:L13); the rest follow the
// vendor's certification tracks (inferred).
// "Cloud Service Solutions Architect" is the HCIP/HCIE an SI presales
// expert may hold (§10.6.3.5).
var Directions = []string{"Cloud Service", "Cloud Service Solutions Architect", "Big Data", "AI", "Datacom", "Security", "Storage", "Database", "Kunpeng",
	"Developer", "Cloud Native"}

// States of a certificate.
const (
	CertPending  = "pending"  // 审核中
	CertApproved = "approved" // 已通过
	CertRejected = "rejected" // 已驳回
)

// Sources of a certificate.
const (
	SourceSynced   = "synced"
	SourceUploaded = "uploaded"
)

// Certificate is a row of personal_certificates.
type Certificate struct {
	ID           int64
	PersonID     int64
	Type         string
	Direction    string
	Number       string
	IssuedOn     time.Time
	ExpiresOn    time.Time
	Source       string
	Status       string
	FileID       *int64
	ReviewedBy   *int64
	ReviewedAt   *time.Time
	RejectReason string
	CreatedAt    time.Time
}

// TableName maps Certificate to personal_certificates.
func (Certificate) TableName() string { return "personal_certificates" }

// CertificateInput is the 填写证书信息 form.
type CertificateInput struct {
	Type, Direction, Number, IssuedOn, ExpiresOn string
}

// parse checks the fields of a certificate; types are the allowed ones.
func (in CertificateInput) parse(types []string, today time.Time) (Certificate, apperr.Fields) {
	f := apperr.Fields{}
	c := Certificate{Type: strings.ToUpper(strings.TrimSpace(in.Type)), Direction: strings.TrimSpace(in.Direction),
		Number: strings.TrimSpace(in.Number)}
	if !slices.Contains(types, c.Type) {
		f.Add("type", "people.err.cert_type")
	}
	if n := utf8.RuneCountInString(c.Direction); n == 0 || n > 50 {
		f.Add("direction", "people.err.direction")
	}
	if n := len(c.Number); n < 4 || n > 40 || strings.ContainsAny(c.Number, " \t") {
		f.Add("number", "people.err.cert_number")
	}
	issued, ierr := time.Parse(time.DateOnly, strings.TrimSpace(in.IssuedOn))
	expires, eerr := time.Parse(time.DateOnly, strings.TrimSpace(in.ExpiresOn))
	switch {
	case ierr != nil:
		f.Add("issued_on", "people.err.date")
	case issued.After(today):
		f.Add("issued_on", "people.err.future")
	}
	switch {
	case eerr != nil:
		f.Add("expires_on", "people.err.date")
	case ierr == nil && !expires.After(issued):
		f.Add("expires_on", "people.err.expires_before_issued")
	}
	c.IssuedOn, c.ExpiresOn = issued, expires
	return c, f
}

// ErrCertTaken refuses a certificate number another account holds: the
// holder deletes it first (§7.2.7).
const ErrCertTaken = "people.err.cert_taken"

// UploadCertificate is the person's 上传证书 of an HCIA/HCIP/HCIE
// certificate with its file, into the vendor's review (§7.2.6).
func (s Service) UploadCertificate(ctx context.Context, p *access.Principal, in CertificateInput, file files.Upload) (_ *Certificate, err error) {
	defer apperr.Wrap(&err, "people.UploadCertificate")
	uid, err := p.Person()
	if err != nil {
		return nil, err
	}
	now := s.now()
	c, f := in.parse(UploadedTypes, clock.ChinaDate(now))
	if len(file.Data) == 0 {
		f.Add("file", "people.err.file")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		id, _, err := files.SaveVendor(ctx, tx, files.Upload{UserID: uid, Name: file.Name, Data: file.Data, At: now}, files.Documents, files.MaxSize, "file")
		if err != nil {
			return err
		}
		c.PersonID, c.Source, c.Status, c.FileID, c.CreatedAt = uid, SourceUploaded, CertPending, &id, now
		if err := tx.WithContext(ctx).Create(&c).Error; err != nil {
			if _, ok := db.IsUniqueViolation(err); ok {
				return apperr.FieldError("number", ErrCertTaken)
			}
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, Action: "people.cert_upload", ObjectType: "personal_certificate", ObjectID: c.ID,
			After: map[string]any{"type": c.Type, "number": c.Number, "status": CertPending}})
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// DeleteCertificate removes one of the person's uploaded certificates (to
// move it to another account, §7.2.7); synced ones cannot be moved.
func (s Service) DeleteCertificate(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "people.DeleteCertificate(%d)", id)
	uid, err := p.Person()
	if err != nil {
		return err
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var c Certificate
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ? AND person_id = ?", id, uid).Take(&c).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.NotFound()
			}
			return err
		}
		if c.Source == SourceSynced {
			return apperr.Conflict("people.err.synced")
		}
		if err := tx.WithContext(ctx).Delete(&c).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, Action: "people.cert_delete", ObjectType: "personal_certificate", ObjectID: c.ID,
			Before: map[string]any{"type": c.Type, "number": c.Number, "status": c.Status}})
	})
}

// ReviewCertificate is the vendor's decision on an uploaded certificate;
// a rejection needs its reason. The person gets a 站内信.
func (s Service) ReviewCertificate(ctx context.Context, p *access.Principal, id int64, approve bool, reason string) (err error) {
	defer apperr.Wrap(&err, "people.ReviewCertificate(%d)", id)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if !approve && reason == "" {
		return apperr.FieldError("reason", "people.err.required")
	}
	if utf8.RuneCountInString(reason) > 500 {
		return apperr.FieldError("reason", "people.err.too_long")
	}
	now := s.now()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var c Certificate
		if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&c).Error; err != nil {
			if db.IsNotFound(err) {
				return apperr.NotFound()
			}
			return err
		}
		if c.Status != CertPending {
			return apperr.Conflict("people.err.reviewed")
		}
		to, subject := CertApproved, "people.msg.cert_approved"
		if !approve {
			to, subject = CertRejected, "people.msg.cert_rejected"
		}
		if err := tx.WithContext(ctx).Model(&c).Updates(map[string]any{"status": to, "reviewed_by": uid, "reviewed_at": now,
			"reject_reason": reason}).Error; err != nil {
			return err
		}
		if err := notify.Send(ctx, tx, notify.Note{To: c.PersonID, Subject: subject + ".subject", Body: subject + ".body",
			Params: map[string]any{"Type": c.Type, "Number": c.Number, "Reason": reason}, Link: "/me/certificates", At: now}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, Action: "people.cert_" + to, ObjectType: "personal_certificate", ObjectID: c.ID,
			Before: map[string]any{"status": CertPending}, After: map[string]any{"status": to, "reason": reason}})
	})
}

// ImportError is a refused line of a certificate import.
type ImportError struct {
	Line int
	Key  string
	Args map[string]any
}

// ImportResult is what an import did, or why it did nothing.
type ImportResult struct {
	Imported, Updated int
	Errors            []ImportError
}

// importColumns is the CSV header of the 云学堂 sync file.
var importColumns = []string{"tenant_name", "type", "direction", "number", "issued_on", "expires_on"}

// MaxImportLines bounds one import.
const MaxImportLines = 5000

// ImportSynced stands in for the 云学堂 sync (inferred): a CSV with the
// header tenant_name,type,direction,number,issued_on,expires_on of
// HCCDX and professional certificates, read with sheet.Open (UTF-8 with or
// without a BOM, or GBK). Every line is checked first; with any error
// nothing is imported. A known number of the same account is updated
// (renewed); a number another account holds is refused — synced
// certificates do not move (§7.2.7).
func (s Service) ImportSynced(ctx context.Context, p *access.Principal, data []byte) (_ *ImportResult, err error) {
	defer apperr.Wrap(&err, "people.ImportSynced")
	uid, err := p.Staff()
	if err != nil {
		return nil, err
	}
	rows, err := sheet.Open("import.csv", bytes.NewReader(data))
	if err != nil {
		return nil, apperr.FieldError("file", "people.err.import_header")
	}
	defer func() { _ = rows.Close() }()
	head, err := rows.Next()
	if err != nil || !slices.Equal(lower(head), importColumns) {
		return nil, apperr.FieldError("file", "people.err.import_header")
	}
	now := s.now()
	today := clock.ChinaDate(now)
	res := &ImportResult{}
	var lines []importLine
	for n := 2; ; n++ {
		rec, err := rows.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil || len(rec) != len(importColumns) {
			res.Errors = append(res.Errors, ImportError{Line: n, Key: "people.err.import_line"})
			if len(res.Errors) > 50 {
				break
			}
			continue
		}
		if len(lines) >= MaxImportLines {
			return nil, apperr.FieldError("file", "people.err.import_too_many")
		}
		c, f := CertificateInput{Type: rec[1], Direction: rec[2], Number: rec[3], IssuedOn: rec[4], ExpiresOn: rec[5]}.parse(SyncedTypes, today)
		if ae, ok := apperr.As(f.Err()); ok {
			res.Errors = append(res.Errors, ImportError{Line: n, Key: ae.MessageKey()})
		}
		lines = append(lines, importLine{no: n, tenant: strings.TrimSpace(rec[0]), cert: c})
	}
	if len(res.Errors) > 0 {
		return res, nil
	}
	if len(lines) == 0 {
		return nil, apperr.FieldError("file", "people.err.import_empty")
	}
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		*res = ImportResult{}
		return s.importLines(ctx, tx, uid, lines, res, now)
	})
	if errors.Is(err, errImportRefused) {
		res.Imported, res.Updated = 0, 0
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// importLine is a parsed line of a certificate import.
type importLine struct {
	no     int
	tenant string
	cert   Certificate
}

// certKey is a certificate number's identity: its type and upper-case
// number, as the unique index personal_certificates_number_key has it.
func certKey(c Certificate) string { return c.Type + "\x00" + strings.ToUpper(c.Number) }

// importLines resolves the persons and the certificates already held in
// one read each (the held ones locked), then inserts the new ones in
// batches and renews the person's own synced ones. A line refused leaves
// errImportRefused, rolling everything back.
func (s Service) importLines(ctx context.Context, tx *gorm.DB, uid int64, lines []importLine, res *ImportResult, now time.Time) error {
	g := tx.WithContext(ctx)
	names := map[string]int64{}
	types, numbers := map[string]bool{}, map[string]bool{}
	for _, l := range lines {
		names[strings.ToLower(l.tenant)] = 0
		types[l.cert.Type], numbers[strings.ToUpper(l.cert.Number)] = true, true
	}
	var us []identity.User
	if err := g.Where("kind = ? AND lower(login_name) IN ?", identity.KindPersonal, keys(names)).Find(&us).Error; err != nil {
		return err
	}
	for _, u := range us {
		names[strings.ToLower(u.LoginName)] = u.ID
	}
	var held []Certificate
	if err := g.Clauses(clause.Locking{Strength: "UPDATE"}).Where("type IN ? AND upper(number) IN ? AND status <> ?",
		keys(types), keys(numbers), CertRejected).Order("id").Find(&held).Error; err != nil {
		return err
	}
	byKey := make(map[string]*Certificate, len(held)+len(lines))
	for i := range held {
		byKey[certKey(held[i])] = &held[i]
	}
	var inserts, renewed []*Certificate
	seen := map[int64]bool{}
	for _, l := range lines {
		pid := names[strings.ToLower(l.tenant)]
		if pid == 0 {
			res.Errors = append(res.Errors, ImportError{Line: l.no, Key: "people.err.import_person", Args: map[string]any{"Tenant": l.tenant}})
			continue
		}
		c := l.cert
		h := byKey[certKey(c)]
		switch {
		case h == nil:
			c.PersonID, c.Source, c.Status, c.CreatedAt = pid, SourceSynced, CertApproved, now
			inserts = append(inserts, &c)
			byKey[certKey(c)] = &c
			res.Imported++
		case h.PersonID == pid && h.Source == SourceSynced:
			// Renewed: a held row, or a line earlier in this file.
			h.Direction, h.IssuedOn, h.ExpiresOn = c.Direction, c.IssuedOn, c.ExpiresOn
			if h.ID != 0 && !seen[h.ID] {
				seen[h.ID] = true
				renewed = append(renewed, h)
			}
			res.Updated++
		default:
			res.Errors = append(res.Errors, ImportError{Line: l.no, Key: ErrCertTaken})
		}
	}
	if len(res.Errors) > 0 {
		return errImportRefused
	}
	if len(inserts) > 0 {
		if err := g.CreateInBatches(inserts, 500).Error; err != nil {
			if _, ok := db.IsUniqueViolation(err); ok {
				// Another account took a number since the read.
				return apperr.FieldError("file", ErrCertTaken)
			}
			return err
		}
	}
	for _, h := range renewed {
		if err := g.Model(h).Updates(map[string]any{"direction": h.Direction, "issued_on": h.IssuedOn, "expires_on": h.ExpiresOn}).Error; err != nil {
			return err
		}
	}
	return audit.Record(ctx, tx, audit.Change{At: now, Action: "people.cert_import", ObjectType: "personal_certificate", ObjectID: uid,
		After: map[string]any{"imported": res.Imported, "updated": res.Updated}})
}

// errImportRefused rolls an import with line errors back.
var errImportRefused = errors.New("people: import refused")

func lower(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(strings.TrimSpace(s))
	}
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// certificateCounts are the path-check counts of a partner's linked
// persons' valid certificates (§7.2.6: they are shared with the partner):
// entry = HCCDA + HCIA; working = HCCDP + HCIP and the higher HCCDE +
// HCIE (a higher one replacing a lower, N13); persons holding HCSA or
// HCSP; experts = persons with HCIP/HCCDP or higher; persons with
// HCIE/HCCDE.
func certificateCounts(ctx context.Context, g *gorm.DB, partnerID int64, today time.Time) (paths.CertificateCounts, error) {
	var out paths.CertificateCounts
	err := g.WithContext(ctx).Raw(`
		SELECT count(*) FILTER (WHERE c.type IN ('HCCDA', 'HCIA')) AS entry,
		       count(*) FILTER (WHERE c.type IN ('HCCDP', 'HCIP', 'HCCDE', 'HCIE')) AS working,
		       count(DISTINCT c.person_id) FILTER (WHERE c.type IN ('HCSA', 'HCSP')) AS hcsa_persons,
		       count(DISTINCT c.person_id) FILTER (WHERE c.type IN ('HCCDP', 'HCIP', 'HCCDE', 'HCIE')) AS experts,
		       count(DISTINCT c.person_id) FILTER (WHERE c.type IN ('HCCDE', 'HCIE')) AS hcie
		FROM personal_certificates c
		JOIN specialist_links l ON l.person_id = c.person_id AND l.partner_id = ? AND l.unlinked_at IS NULL
		WHERE c.status = 'approved' AND c.expires_on >= ?`, partnerID, today).Scan(&out).Error
	return out, err
}

func init() {
	paths.RegisterCertificateSource(certificateCounts)
}

// ErrNoImportFile refuses an import without a file.
var ErrNoImportFile = apperr.FieldError("file", "people.err.import_empty")

// HeldDirections are, for the persons among ids, the directions (lower case)
// of the valid certificates of the types they hold on day (FH's certified
// engineers of a scenario, §10.6.2.2).
func HeldDirections(ctx context.Context, g *gorm.DB, ids []int64, types []string, day time.Time) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(ids) == 0 || len(types) == 0 {
		return out, nil
	}
	var rows []struct {
		PersonID  int64
		Direction string
	}
	err := g.WithContext(ctx).Model(&Certificate{}).Distinct("person_id", "lower(direction) AS direction").
		Where("person_id IN ? AND type IN ? AND status = ? AND expires_on >= ?", ids, types, CertApproved, day).Scan(&rows).Error
	for _, r := range rows {
		out[r.PersonID] = append(out[r.PersonID], r.Direction)
	}
	return out, err
}
