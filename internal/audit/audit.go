// Package audit owns the append-only audit trail: every state change in
// the product writes one row (actor, tenant, action, object, before/after,
// request id, IP, time) in the same transaction as the change. The table
// refuses UPDATE and DELETE by trigger. Admins read their tenant's rows
// at 组织 > 操作日志.
package audit

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/platform/reqctx"
)

// Entry is one audit row.
type Entry struct {
	ID          int64
	At          time.Time `gorm:"default:now()"`
	ActorUserID *int64
	ActorName   string
	PartnerID   *int64
	Action      string
	ObjectType  string
	ObjectID    string
	Before      *string `gorm:"type:jsonb"`
	After       *string `gorm:"type:jsonb"`
	RequestID   string
	IP          string
}

// TableName maps Entry to audit_log.
func (Entry) TableName() string { return "audit_log" }

// SystemActor is the actor name of a row written by no signed-in user
// (jobs, the demo world); pages show it as 系统 / System (ActorLabel).
const SystemActor = "system"

// Change describes what happened; Record fills in who and where from ctx.
type Change struct {
	// At is when it happened, from the caller's injected clock. A caller
	// that does not give it yet gets the database's time (the
	// transaction's start), never the process's wall clock.
	At         time.Time
	PartnerID  int64 // 0 for vendor-level objects
	Action     string
	ObjectType string
	ObjectID   int64
	ObjectKey  string // an object named otherwise (a UUID), when ObjectID is 0
	Before     any
	After      any
}

func toJSON(v any) *string {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		s := `{"error":"unserializable"}`
		return &s
	}
	s := string(b)
	return &s
}

// Record writes one audit row with tx (the caller's transaction).
func Record(ctx context.Context, tx *gorm.DB, c Change) error {
	m := reqctx.From(ctx)
	e := Entry{
		At:         c.At.UTC(),
		ActorName:  m.ActorName,
		Action:     c.Action,
		ObjectType: c.ObjectType,
		Before:     toJSON(c.Before),
		After:      toJSON(c.After),
		RequestID:  m.RequestID,
		IP:         m.IP,
	}
	if c.ObjectID != 0 {
		e.ObjectID = strconv.FormatInt(c.ObjectID, 10)
	} else {
		e.ObjectID = c.ObjectKey
	}
	if m.ActorID != 0 {
		id := m.ActorID
		e.ActorUserID = &id
	}
	if e.ActorName == "" {
		e.ActorName = SystemActor
	}
	if c.PartnerID != 0 {
		p := c.PartnerID
		e.PartnerID = &p
	}
	return tx.WithContext(ctx).Create(&e).Error
}
