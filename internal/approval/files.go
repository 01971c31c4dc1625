package approval

import (
	"bytes"
	"context"
	"crypto/sha256"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// MaxFileSize is the largest attachment (10 MB, as the files table allows).
const MaxFileSize = 10 << 20

// File is an uploaded file stored in PostgreSQL.
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

// sniff returns the content type of an accepted attachment (PDF, JPEG,
// PNG) by its first bytes, whatever the name or the browser claims.
func sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(data, []byte{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}):
		return "image/png"
	}
	return ""
}

// cleanName keeps the base name of an upload, at most 200 characters.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == "/" {
		name = "file"
	}
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	return name
}

// SaveFile stores an attachment of a tenant with tx after checking its
// type (PDF, JPG, PNG) and size (≤ 10 MB). field names the form field for
// the error; at is the upload time (zero: now).
func SaveFile(ctx context.Context, tx *gorm.DB, partnerID, userID int64, field, name string, data []byte, at time.Time) (*File, error) {
	if len(data) == 0 {
		return nil, apperr.FieldError(field, "approval.err.file_empty")
	}
	if len(data) > MaxFileSize {
		return nil, apperr.FieldError(field, "approval.err.file_too_large")
	}
	ct := sniff(data)
	if ct == "" {
		return nil, apperr.FieldError(field, "approval.err.file_type")
	}
	sum := sha256.Sum256(data)
	if at.IsZero() {
		at = time.Now()
	}
	f := &File{Name: cleanName(name), ContentType: ct, Size: int64(len(data)), SHA256: sum[:], Data: data, CreatedAt: at.UTC()}
	if partnerID != 0 {
		f.PartnerID = &partnerID
	}
	if userID != 0 {
		f.CreatedBy = &userID
	}
	if err := tx.WithContext(ctx).Create(f).Error; err != nil {
		return nil, err
	}
	return f, nil
}

func (e Engine) file(ctx context.Context, appQuery *gorm.DB, fileID int64) (*File, error) {
	var ids []int64
	if err := appQuery.Select("applications.id").Scan(&ids).Error; err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, apperr.NotFound()
	}
	var f File
	err := e.DB.WithContext(ctx).Where("id = ? AND id IN (SELECT file_id FROM application_attachments WHERE application_id = ?)", fileID, ids[0]).
		First(&f).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// FileForPartner returns an attachment of one of the tenant's applications.
func (e Engine) FileForPartner(ctx context.Context, partnerID, appID, fileID int64) (*File, error) {
	if partnerID == 0 {
		return nil, apperr.NotFound()
	}
	return e.file(ctx, e.DB.WithContext(ctx).Table("applications").Where("id = ? AND partner_id = ?", appID, partnerID), fileID)
}

// FileForVendor returns an attachment of an application the vendor actor may see.
func (e Engine) FileForVendor(ctx context.Context, actor Actor, appID, fileID int64) (*File, error) {
	if !actor.IsVendor() {
		return nil, apperr.NotFound()
	}
	return e.file(ctx, vendorScope(e.DB.WithContext(ctx).Table("applications").Where("applications.id = ?", appID), actor), fileID)
}
