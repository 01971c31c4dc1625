// Package reqctx carries request metadata (request id, client IP, the
// acting user) through context.Context, so the audit trail and logs can
// record them without every service signature growing.
package reqctx

import (
	"context"
	"sync/atomic"
)

type key struct{}

// Meta is what is known about the current request.
type Meta struct {
	RequestID string
	IP        string
	UserAgent string
	ActorID   int64
	ActorName string
	PartnerID int64
	// Queries counts the SQL statements run for the request (the database
	// layer adds one per statement; the request log shows it and tests
	// hold pages to a budget).
	Queries atomic.Int64
}

// With returns ctx carrying m.
func With(ctx context.Context, m *Meta) context.Context { return context.WithValue(ctx, key{}, m) }

// From returns the request metadata, or an empty value for background work.
func From(ctx context.Context) *Meta {
	if m, ok := ctx.Value(key{}).(*Meta); ok && m != nil {
		return m
	}
	return &Meta{}
}
