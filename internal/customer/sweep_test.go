package customer

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"partnercenter/internal/platform/dbtest"
	"partnercenter/internal/platform/jobs"
)

// The expiry sweep runs as a real River periodic job: started with the
// client, it marks a report whose protection ended as expired.
func TestExpirySweepRunsAsAPeriodicJob(t *testing.T) {
	f := setup(t)
	g := f.db
	a := f.tenant(t, 0)
	r := f.report(t, a).ID
	f.clk.Advance(90*24*time.Hour + time.Minute)
	ws := river.NewWorkers()
	AddWorkers(ws, f.svc)
	c, err := jobs.Start(context.Background(), dbtest.URL(), ws, jobs.Config{PollInterval: 50 * time.Millisecond, Periodic: PeriodicJobs()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop(context.Background())
	deadline := time.Now().Add(20 * time.Second)
	for {
		var status string
		g.Raw(`SELECT status FROM customer_reports WHERE id = ?`, r).Scan(&status)
		if status == ReportExpired {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("report still %q after the sweep should have run", status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
