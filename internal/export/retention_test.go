package export

import (
	"context"
	"testing"
	"time"

	"partnercenter/internal/bill/billtest"
	"partnercenter/internal/platform/blob"
	"partnercenter/internal/platform/dbtest"
)

// A done task older than the retention loses its file and is expired; a
// newer one and an unfinished one are kept.
func TestExpireDeletesOldFilesAndKeepsTheRows(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	tn := billtest.NewTenant(t, g, 1)
	uid, pid := tn.UserID, tn.ID
	mk := func(finished time.Time) int64 {
		w, err := blob.Create(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte("a,b\n1,2\n")); err != nil || w.Close() != nil {
			t.Fatal(err)
		}
		id := w.ID
		task := Task{PartnerID: pid, UserID: uid, Kind: KindBillCSV, ParamsJSON: []byte(`{"lang":"zh-CN"}`), Status: StatusDone, Progress: 100,
			FileName: "x.csv", ContentType: "text/csv", FileID: &id, CreatedAt: finished, FinishedAt: &finished}
		if err := g.Create(&task).Error; err != nil {
			t.Fatal(err)
		}
		return task.ID
	}
	old, fresh := mk(now.Add(-8*24*time.Hour)), mk(now.Add(-6*24*time.Hour))
	n, err := Expire(ctx, g, now, 7*24*time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("expired %d: %v", n, err)
	}
	var got []Task
	g.Where("id IN ?", []int64{old, fresh}).Order("id").Find(&got)
	if got[0].Status != StatusExpired || got[0].FileID != nil || got[1].Status != StatusDone || got[1].FileID == nil {
		t.Fatalf("%+v / %+v", got[0], got[1])
	}
	if n, _ := Expire(ctx, g, now, 7*24*time.Hour); n != 0 {
		t.Fatalf("expired again: %d", n)
	}
}
