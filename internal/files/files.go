package files

import (
	"bytes"
	"context"
	"crypto/sha256"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// Accepted content types, as Sniff reports them.
const (
	PDF  = "application/pdf"
	JPEG = "image/jpeg"
	PNG  = "image/png"
)

// Documents are the types accepted for licences and attachments.
var Documents = []string{PDF, JPEG, PNG}

// MaxSize is the largest file the files table holds (10 MB).
const MaxSize = 10 << 20

// maxNameRunes bounds a stored display name.
const maxNameRunes = 200

// File is a row of the files table.
type File struct {
	ID          int64
	PartnerID   *int64
	Name        string
	ContentType string
	Size        int64
	SHA256      []byte `gorm:"column:sha256"`
	Data        []byte
	CreatedBy   *int64
	CreatedAt   time.Time
}

// TableName maps File to files.
func (File) TableName() string { return "files" }

// FileInfo is a file without its content, for lists.
type FileInfo struct {
	ID          int64
	Name        string
	ContentType string
	Size        int64
	CreatedAt   time.Time
}

// Sniff returns the content type of an accepted file (PDF, JPEG, PNG)
// from its first bytes, or "" for anything else, whatever the name or the
// browser claims.
func Sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return PDF
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG
	case bytes.HasPrefix(data, []byte{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}):
		return PNG
	}
	return ""
}

// Ext is the usual file extension of an accepted content type.
func Ext(ctype string) string {
	switch ctype {
	case PDF:
		return ".pdf"
	case JPEG:
		return ".jpg"
	case PNG:
		return ".png"
	}
	return ""
}

// CleanName keeps the base of the client's file name for display, without
// path, control characters or quotes, at most 200 characters (the
// extension is kept when cutting); an empty result gives fallback.
func CleanName(name, fallback string) string {
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), `\`, "/"))
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name))
	if name == "" || name == "." || name == ".." || name == "/" {
		return fallback
	}
	if utf8.RuneCountInString(name) > maxNameRunes {
		ext := []rune(path.Ext(name))
		if len(ext) > 16 {
			ext = nil
		}
		stem := []rune(strings.TrimSuffix(name, string(ext)))
		name = string(stem[:maxNameRunes-len(ext)]) + string(ext)
	}
	return name
}

// Check validates an upload's content before it is stored: not empty, at
// most maxSize bytes (never over MaxSize), and of one of the allowed types
// by its bytes. It returns the sniffed content type, or the catalog key
// of the problem. The keys of the document rule (Documents, MaxSize) name
// its limits; a narrower rule gets keys pointing at the upload hint.
func Check(data []byte, allowed []string, maxSize int64) (ctype, errKey string) {
	if len(data) == 0 {
		return "", "files.err.empty"
	}
	if maxSize <= 0 || maxSize > MaxSize {
		maxSize = MaxSize
	}
	if int64(len(data)) > maxSize {
		if maxSize == MaxSize {
			return "", "files.err.too_large"
		}
		return "", "files.err.too_large_hint"
	}
	ct := Sniff(data)
	if ct == "" || !slices.Contains(allowed, ct) {
		for _, d := range Documents {
			if !slices.Contains(allowed, d) {
				return "", "files.err.type_hint"
			}
		}
		return "", "files.err.type"
	}
	return ct, ""
}

// Upload is a file to store for a tenant. UserID 0 leaves the uploader
// empty; At is the upload time (zero: now).
type Upload struct {
	PartnerID int64
	UserID    int64
	Name      string
	Data      []byte
	At        time.Time
}

// Save checks an upload (see Check) and stores it with tx. field names
// the form field for a validation error. It returns the new file's id and
// its sniffed content type.
func Save(ctx context.Context, tx *gorm.DB, up Upload, allowed []string, maxSize int64, field string) (int64, string, error) {
	if up.PartnerID == 0 {
		return 0, "", apperr.NotFound()
	}
	ct, key := Check(up.Data, allowed, maxSize)
	if key != "" {
		return 0, "", apperr.FieldError(field, key)
	}
	at := up.At
	if at.IsZero() {
		at = time.Now()
	}
	sum := sha256.Sum256(up.Data)
	pid := up.PartnerID
	f := &File{PartnerID: &pid, Name: CleanName(up.Name, "file"+Ext(ct)), ContentType: ct, Size: int64(len(up.Data)),
		SHA256: sum[:], Data: up.Data, CreatedAt: at.UTC()}
	if up.UserID != 0 {
		uid := up.UserID
		f.CreatedBy = &uid
	}
	if err := tx.WithContext(ctx).Create(f).Error; err != nil {
		return 0, "", err
	}
	return f.ID, ct, nil
}

// Get returns a file of the tenant; another tenant's file, or none,
// answers NotFound.
func Get(ctx context.Context, g *gorm.DB, partnerID, id int64) (*File, error) {
	if partnerID == 0 {
		return nil, apperr.NotFound()
	}
	var f File
	err := g.WithContext(ctx).Where("id = ? AND partner_id = ?", id, partnerID).Take(&f).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// Delete removes files of the tenant with tx; another tenant's file is
// left alone.
func Delete(tx *gorm.DB, partnerID int64, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	return tx.Where("id IN ? AND partner_id = ?", ids, partnerID).Delete(&File{}).Error
}

// Infos lists the tenant's files among ids without their content, by id
// (for a list of attachments, and to check a batch of ids at once);
// another tenant's file, or none, is simply absent.
func Infos(ctx context.Context, g *gorm.DB, partnerID int64, ids []int64) ([]FileInfo, error) {
	var out []FileInfo
	if partnerID == 0 || len(ids) == 0 {
		return out, nil
	}
	err := g.WithContext(ctx).Model(&File{}).Select("id, name, content_type, size, created_at").
		Where("partner_id = ? AND id IN ?", partnerID, ids).Order("id").Scan(&out).Error
	return out, err
}

// SaveDocuments saves a partner's uploads as documents (files.Documents,
// at most MaxSize each) in tx, refusing on the field "files": the
// attachments of an application or a feedback. It returns their ids in
// order.
func SaveDocuments(ctx context.Context, tx *gorm.DB, partnerID, userID int64, at time.Time, uploads []Upload) ([]int64, error) {
	return SaveDocumentsAs(ctx, tx, partnerID, userID, at, uploads, "files")
}

// SaveDocumentsAs is SaveDocuments for a form whose file input is named
// field: a refused file is that field's error.
func SaveDocumentsAs(ctx context.Context, tx *gorm.DB, partnerID, userID int64, at time.Time, uploads []Upload, field string) ([]int64, error) {
	var ids []int64
	for _, f := range uploads {
		id, _, err := Save(ctx, tx, Upload{PartnerID: partnerID, UserID: userID, Name: f.Name, Data: f.Data, At: at}, Documents, MaxSize, field)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// SaveVendor stores a file of the vendor's own (no tenant: partner_id is
// NULL), such as a 资料库 document, after the same checks as Save.
func SaveVendor(ctx context.Context, tx *gorm.DB, up Upload, allowed []string, maxSize int64, field string) (int64, string, error) {
	ct, key := Check(up.Data, allowed, maxSize)
	if key != "" {
		return 0, "", apperr.FieldError(field, key)
	}
	if up.At.IsZero() {
		return 0, "", apperr.Invalid("error.bad_request")
	}
	sum := sha256.Sum256(up.Data)
	f := &File{Name: CleanName(up.Name, "file"+Ext(ct)), ContentType: ct, Size: int64(len(up.Data)), SHA256: sum[:], Data: up.Data,
		CreatedAt: up.At.UTC()}
	if up.UserID != 0 {
		uid := up.UserID
		f.CreatedBy = &uid
	}
	if err := tx.WithContext(ctx).Create(f).Error; err != nil {
		return 0, "", err
	}
	return f.ID, ct, nil
}

// GetVendor returns one of the vendor's own files (a tenant's is
// NotFound); the caller decides who may read it.
func GetVendor(ctx context.Context, g *gorm.DB, id int64) (*File, error) {
	var f File
	err := g.WithContext(ctx).Where("id = ? AND partner_id IS NULL", id).Take(&f).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	return &f, nil
}
