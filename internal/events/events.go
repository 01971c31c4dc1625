package events

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"gorm.io/gorm"
)

// Event types (build-plan 5.F).
const (
	IncentiveBillStatus        = "incentive.bill.status"        // data: bill_id, period, status, amount
	IncentiveApplicationStatus = "incentive.application.status" // data: application_no, method, status, total
	IncentiveExpired           = "incentive.expired"            // data: positive, negative, remainder
)

// Event is a row of events.
type Event struct {
	ID         int64
	PartnerID  int64
	Type       string
	Data       json.RawMessage `gorm:"type:jsonb"`
	OccurredAt time.Time
}

// TableName maps Event to events.
func (Event) TableName() string { return "events" }

var typePattern = regexp.MustCompile(`^[a-z_]+(\.[a-z_]+)+$`)

// Record writes an event of the partner with tx, the caller's transaction.
func Record(ctx context.Context, tx *gorm.DB, partnerID int64, typ string, at time.Time, data map[string]any) error {
	if !typePattern.MatchString(typ) || partnerID == 0 {
		return fmt.Errorf("events: bad event %q for partner %d", typ, partnerID)
	}
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	return tx.WithContext(ctx).Create(&Event{PartnerID: partnerID, Type: typ, Data: b, OccurredAt: at.UTC()}).Error
}

// Since lists a partner's events after the given id, oldest first, at
// most limit (1–1000).
func Since(ctx context.Context, g *gorm.DB, partnerID, after int64, limit int) ([]Event, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	var out []Event
	err := g.WithContext(ctx).Where("partner_id = ? AND id > ?", partnerID, after).Order("id").Limit(limit).Find(&out).Error
	return out, err
}

// After lists every partner's events after the given id, oldest first, at
// most limit (1–1000): what the webhook fan-out reads.
func After(ctx context.Context, g *gorm.DB, after int64, limit int) ([]Event, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	var out []Event
	err := g.WithContext(ctx).Where("id > ?", after).Order("id").Limit(limit).Find(&out).Error
	return out, err
}

// Last is the id of the newest event (0 when none).
func Last(ctx context.Context, g *gorm.DB) (int64, error) {
	var id int64
	err := g.WithContext(ctx).Model(&Event{}).Select("coalesce(max(id), 0)").Scan(&id).Error
	return id, err
}
