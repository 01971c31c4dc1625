package events

import (
	"context"
	"testing"
	"time"

	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// An event is written with the caller's transaction (gone with a rollback)
// and read back in order; a malformed type is refused.
func TestRecordAndReadBack(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	var pid int64
	if err := g.Raw(`INSERT INTO partners (name, credit_code, status, site) VALUES ('事件测试', '91440000MA5EVT0001', 'active', 'cn') RETURNING id`).
		Scan(&pid).Error; err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)
	if err := Record(ctx, g, pid, "Incentive bill", at, nil); err == nil {
		t.Fatal("a malformed type was recorded")
	}
	tx := g.Begin()
	if err := Record(ctx, tx, pid, IncentiveBillStatus, at, map[string]any{"status": "pending"}); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	if err := Record(ctx, g, pid, IncentiveBillStatus, at, map[string]any{"status": "confirmed"}); err != nil {
		t.Fatal(err)
	}
	if err := Record(ctx, g, pid, IncentiveApplicationStatus, at.Add(time.Minute), map[string]any{"status": "submitted"}); err != nil {
		t.Fatal(err)
	}
	evs, err := Since(ctx, g, pid, 0, 0)
	if err != nil || len(evs) != 2 || evs[0].Type != IncentiveBillStatus || string(evs[0].Data) != `{"status": "confirmed"}` || !evs[0].OccurredAt.Equal(at) {
		t.Fatalf("events %+v %v", evs, err)
	}
	if later, err := Since(ctx, g, pid, evs[0].ID, 10); err != nil || len(later) != 1 || later[0].Type != IncentiveApplicationStatus {
		t.Fatalf("after the first: %+v %v", later, err)
	}
}
