package approval

import (
	"context"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/files"
	"partnercenter/internal/platform/apperr"
)

// file returns an attachment of the first application appQuery finds
// (already scoped to what the actor may see). The file must be attached
// to that application and belong to its tenant.
func (e Engine) file(ctx context.Context, appQuery *gorm.DB, fileID int64) (*files.File, error) {
	var apps []struct {
		ID        int64
		PartnerID int64
	}
	if err := appQuery.Select("applications.id, applications.partner_id").Limit(1).Scan(&apps).Error; err != nil {
		return nil, err
	}
	if len(apps) == 0 {
		return nil, apperr.NotFound()
	}
	var n int64
	if err := e.DB.WithContext(ctx).Table("application_attachments").
		Where("application_id = ? AND file_id = ?", apps[0].ID, fileID).Count(&n).Error; err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, apperr.NotFound()
	}
	return files.Get(ctx, e.DB, apps[0].PartnerID, fileID)
}

// FileForPartner returns an attachment of one of the tenant's applications.
func (e Engine) FileForPartner(ctx context.Context, p *access.Principal, appID, fileID int64) (_ *files.File, err error) {
	defer apperr.Wrap(&err, "approval.FileForPartner(%d, %d)", appID, fileID)
	pid, err := tenant(p)
	if err != nil {
		return nil, err
	}
	return e.file(ctx, e.DB.WithContext(ctx).Table("applications").Where("id = ? AND partner_id = ?", appID, pid), fileID)
}

// FileForVendor returns an attachment of an application the vendor actor may see.
func (e Engine) FileForVendor(ctx context.Context, p *access.Principal, appID, fileID int64) (_ *files.File, err error) {
	defer apperr.Wrap(&err, "approval.FileForVendor(%d, %d)", appID, fileID)
	if err := staff(p); err != nil {
		return nil, err
	}
	q, err := vendorScope(ctx, e.DB, e.DB.WithContext(ctx).Table("applications").Where("applications.id = ?", appID), p)
	if err != nil {
		return nil, err
	}
	return e.file(ctx, q, fileID)
}
