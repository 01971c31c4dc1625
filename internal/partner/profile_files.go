package partner

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg" // register the JPEG decoder for DecodeConfig
	_ "image/png"  // register the PNG decoder for DecodeConfig
	"slices"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/files"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// Logo types accepted (sniffed): PNG and JPEG only. SVG is refused: it
// can carry script.
var logoTypes = []string{files.PNG, files.JPEG}

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
	ct := files.Sniff(up.Data)
	if !slices.Contains(logoTypes, ct) {
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
func (s Profiles) UpdateLogo(ctx context.Context, actor *access.Principal, up Upload) (err error) {
	defer apperr.Wrap(&err, "partner.UpdateLogo")
	pid, err := actor.Tenant()
	if err != nil {
		return err
	}
	if err := requireMain(ctx, s.DB, actor.UserID, pid); err != nil {
		return err
	}
	ct, err := ValidateLogo(&up)
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := requireMain(ctx, tx, actor.UserID, pid); err != nil {
			return err
		}
		p, err := lockPartner(tx, pid)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		id, _, err := files.Save(ctx, tx, files.Upload{PartnerID: pid, UserID: actor.UserID,
			Name: files.CleanName(up.Name, "logo"+files.Ext(ct)), Data: up.Data, At: now}, logoTypes, MaxLogoBytes, "logo")
		if err != nil {
			return err
		}
		if err := tx.Model(&Partner{}).Where("id = ?", p.ID).
			Updates(map[string]any{"logo_file_id": id, "updated_at": now}).Error; err != nil {
			return err
		}
		var before any
		if p.LogoFileID != nil {
			before = map[string]int64{"logo_file_id": *p.LogoFileID}
			if err := files.Delete(tx, p.ID, *p.LogoFileID); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: p.ID, Action: "partner.logo.update", ObjectType: "partner",
			ObjectID: p.ID, Before: before, After: map[string]any{"logo_file_id": id, "content_type": ct, "size": len(up.Data)}})
	})
}

// Logo is a tenant's logo image.
type Logo struct {
	ContentType string
	Data        []byte
	Sha256      []byte
}

// Logo returns the actor's tenant's logo, or NotFound when it has none.
// The file is the one the tenant's own partners row points at and must
// belong to the tenant (files.Get), so no other tenant's file can be
// served.
func (s Profiles) Logo(ctx context.Context, actor *access.Principal) (_ *Logo, err error) {
	defer apperr.Wrap(&err, "partner.Logo")
	partnerID, err := actor.Tenant()
	if err != nil {
		return nil, err
	}
	var logoID *int64
	if err := s.DB.WithContext(ctx).Model(&Partner{}).Where("id = ?", partnerID).
		Select("logo_file_id").Scan(&logoID).Error; err != nil {
		return nil, err
	}
	if logoID == nil {
		return nil, apperr.NotFound()
	}
	f, err := files.Get(ctx, s.DB, partnerID, *logoID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(logoTypes, f.ContentType) {
		return nil, apperr.NotFound()
	}
	return &Logo{ContentType: f.ContentType, Data: f.Data, Sha256: f.SHA256}, nil
}
