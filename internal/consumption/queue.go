package consumption

import (
	"context"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
)

// FailedSince counts the imports that failed after since (vendor finance's
// home page: a file to upload again).
func (s Importer) FailedSince(ctx context.Context, p *access.Principal, since time.Time) (_ int64, err error) {
	defer apperr.Wrap(&err, "consumption.FailedSince")
	if _, err := p.Staff(); err != nil {
		return 0, err
	}
	var n int64
	err = s.DB.WithContext(ctx).Model(&Import{}).Where("status = 'failed' AND created_at >= ?", since).Count(&n).Error
	return n, err
}
