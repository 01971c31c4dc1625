package partner

import (
	"bytes"
	"context"
	"crypto/sha256"
	"image"
	_ "image/jpeg" // register the JPEG decoder for DecodeConfig
	_ "image/png"  // register the PNG decoder for DecodeConfig
	"net/http"
	"path"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// storedFile is a row of the files table (uploads live in PostgreSQL so
// app servers keep no state).
type storedFile struct {
	ID          int64
	PartnerID   *int64
	Name        string
	ContentType string
	Size        int64
	Sha256      []byte `gorm:"column:sha256"`
	Data        []byte
	CreatedBy   *int64
	CreatedAt   time.Time
}

func (storedFile) TableName() string { return "files" }

// sniff returns the content type of data as detected from its bytes; the
// client's extension and Content-Type header are never trusted.
func sniff(data []byte) string {
	ct := http.DetectContentType(data)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.TrimSpace(ct)
}

// displayName keeps the base of the client's file name for display,
// without path or control characters, or falls back to def.
func displayName(client, def string) string {
	n := path.Base(strings.ReplaceAll(client, `\`, "/"))
	n = clean(n)
	if n == "" || n == "." || n == "/" {
		return def
	}
	if r := []rune(n); len(r) > 120 {
		n = string(r[len(r)-120:])
	}
	return n
}

// storeFile inserts an upload owned by the actor's tenant.
func storeFile(tx *gorm.DB, a Actor, def, clientName, ctype string, data []byte, now time.Time) (int64, error) {
	sum := sha256.Sum256(data)
	pid, uid := a.PartnerID, a.UserID
	f := storedFile{PartnerID: &pid, Name: displayName(clientName, def), ContentType: ctype, Size: int64(len(data)),
		Sha256: sum[:], Data: data, CreatedAt: now}
	if uid != 0 {
		f.CreatedBy = &uid
	}
	if err := tx.Create(&f).Error; err != nil {
		return 0, err
	}
	return f.ID, nil
}

// Logo types accepted (sniffed): PNG and JPEG only. SVG is refused: it
// can carry script.
var logoTypes = map[string]string{"image/png": ".png", "image/jpeg": ".jpg"}

// ValidateLogo checks a logo upload: present, at most MaxLogoBytes, a
// PNG or JPEG by its content (decodable header, sides ≤ 4096 px). It
// returns the sniffed content type.
func ValidateLogo(up *Upload) (string, error) {
	if up == nil || len(up.Data) == 0 {
		return "", apperr.FieldError("logo", "profile.err.logo_required")
	}
	if len(up.Data) > MaxLogoBytes {
		return "", apperr.FieldError("logo", "profile.err.logo_too_large")
	}
	ct := sniff(up.Data)
	if _, ok := logoTypes[ct]; !ok {
		return "", apperr.FieldError("logo", "profile.err.logo_type")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(up.Data))
	if err != nil || "image/"+format != ct {
		return "", apperr.FieldError("logo", "profile.err.logo_type")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxLogoDimension || cfg.Height > maxLogoDimension {
		return "", apperr.FieldError("logo", "profile.err.logo_dimensions")
	}
	return ct, nil
}

// UpdateLogo replaces the company logo; the previous logo file is
// deleted. Seed 003 §6.1.4 keeps logo, contacts and introduction to the
// main account and says the online entry was not yet open (work orders
// instead); the product opens it, for the main account only.
func (s Profiles) UpdateLogo(ctx context.Context, a Actor, up Upload) error {
	if a.PartnerID == 0 {
		return apperr.NotFound()
	}
	if err := requireMain(s.DB.WithContext(ctx), a); err != nil {
		return err
	}
	ct, err := ValidateLogo(&up)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := requireMain(tx, a); err != nil {
			return err
		}
		p, err := lockPartner(tx, a.PartnerID)
		if err != nil {
			return err
		}
		id, err := storeFile(tx, a, "logo"+logoTypes[ct], up.Name, ct, up.Data, s.now())
		if err != nil {
			return err
		}
		if err := tx.Model(&Partner{}).Where("id = ?", p.ID).
			Updates(map[string]any{"logo_file_id": id, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		var before any
		if p.LogoFileID != nil {
			before = map[string]int64{"logo_file_id": *p.LogoFileID}
			if err := tx.Where("id = ? AND partner_id = ?", *p.LogoFileID, p.ID).Delete(&storedFile{}).Error; err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Change{PartnerID: p.ID, Action: "partner.logo.update", ObjectType: "partner",
			ObjectID: p.ID, Before: before, After: map[string]any{"logo_file_id": id, "content_type": ct, "size": len(up.Data)}})
	})
}

// Logo is a tenant's logo image.
type Logo struct {
	ContentType string
	Data        []byte
	Sha256      []byte
}

// Logo returns the tenant's logo, or NotFound when it has none. The file
// is looked up through the tenant's own partners row and must belong to
// it, so no other tenant's file can be served.
func (s Profiles) Logo(ctx context.Context, partnerID int64) (*Logo, error) {
	if partnerID == 0 {
		return nil, apperr.NotFound()
	}
	var f storedFile
	err := s.DB.WithContext(ctx).Table("files f").Select("f.content_type, f.data, f.sha256").
		Joins("JOIN partners p ON p.logo_file_id = f.id AND p.id = f.partner_id").
		Where("p.id = ?", partnerID).Take(&f).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	if _, ok := logoTypes[f.ContentType]; !ok {
		return nil, apperr.NotFound()
	}
	return &Logo{ContentType: f.ContentType, Data: f.Data, Sha256: f.Sha256}, nil
}
