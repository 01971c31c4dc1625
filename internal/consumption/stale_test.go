package consumption

import (
	"context"
	"testing"
	"time"

	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// An import still running a day after it was queued failed on every
// attempt's server (each rolled back): the sweep marks it failed with the
// reason, and leaves a younger running one alone.
func TestStaleImportsAreMarkedFailed(t *testing.T) {
	g := dbtest.DB(t)
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	s := Importer{DB: g, Clock: clock.NewFixed(now)}
	old := Import{FileName: "stale.csv", Status: "running", CreatedAt: now.Add(-25 * time.Hour)}
	young := Import{FileName: "young.csv", Status: "running", CreatedAt: now.Add(-time.Hour)}
	for _, imp := range []*Import{&old, &young} {
		if err := g.Create(imp).Error; err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.FailStale(context.Background())
	if err != nil || n < 1 {
		t.Fatalf("failed %d: %v", n, err)
	}
	var got []Import
	g.Where("id IN ?", []int64{old.ID, young.ID}).Order("id").Find(&got)
	if got[0].Status != "failed" || got[0].Failure == "" || got[1].Status != "running" {
		t.Fatalf("%s %q / %s", got[0].Status, got[0].Failure, got[1].Status)
	}
}
