package customer

import (
	"context"
	"partnercenter/internal/platform/apperr"
	"strconv"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/platform/clock"
)

// Service runs every customer operation. Pages build one per request or
// share one: it holds no state besides the database and the clock.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s *Service) now() time.Time { return s.Clock.Now().UTC() }

// ReportValidityDays is the report protection period in days (setting
// customer_report_validity_days, default 90).
func (s *Service) ReportValidityDays(ctx context.Context) (_ int, err error) {
	defer apperr.Wrap(&err, "customer.ReportValidityDays")
	return validityDays(ctx, s.DB)
}

func validityDays(ctx context.Context, tx *gorm.DB) (int, error) {
	var vals []string
	if err := tx.WithContext(ctx).Table("settings").Where("key = ?", SettingReportValidity).Pluck("value", &vals).Error; err != nil {
		return 0, err
	}
	if len(vals) == 0 {
		return DefaultReportValidityDays, nil
	}
	n, err := strconv.Atoi(vals[0])
	if err != nil || n <= 0 {
		return DefaultReportValidityDays, nil
	}
	return n, nil
}
