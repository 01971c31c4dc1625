package benefit

import (
	"context"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// Records lists the tenant's applications, newest first, with the test
// vouchers issued for them (read for those applications only).
func (s Service) Records(ctx context.Context, p *access.Principal) (_ []Application, vouchers map[int64]Voucher, err error) {
	defer apperr.Wrap(&err, "benefit.Records")
	pid, err := p.Tenant()
	if err != nil {
		return nil, nil, err
	}
	var apps []Application
	if err := s.DB.WithContext(ctx).Where("partner_id = ?", pid).Order("created_at DESC, id DESC").Limit(200).Find(&apps).Error; err != nil {
		return nil, nil, err
	}
	vouchers = map[int64]Voucher{}
	ids := issuedIDs(apps, func(a Application) bool { return !Counted(a.Type) })
	if len(ids) == 0 {
		return apps, vouchers, nil
	}
	var vs []Voucher
	if err := s.DB.WithContext(ctx).Where("partner_id = ? AND application_id IN ?", pid, ids).Find(&vs).Error; err != nil {
		return nil, nil, err
	}
	for _, v := range vs {
		vouchers[v.ApplicationID] = v
	}
	return apps, vouchers, nil
}

// issuedIDs are the ids of the issued applications that match.
func issuedIDs(apps []Application, match func(Application) bool) []int64 {
	var ids []int64
	for _, a := range apps {
		if a.Status == StateIssued && match(a) {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

// Get reads one of the tenant's applications (another's is 404).
func (s Service) Get(ctx context.Context, p *access.Principal, id int64) (_ *Application, err error) {
	defer apperr.Wrap(&err, "benefit.Get(%d)", id)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var a Application
	if err := s.DB.WithContext(ctx).Where("id = ? AND partner_id = ?", id, pid).First(&a).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &a, nil
}
