package export

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"partnercenter/internal/bill"
	"partnercenter/internal/bill/billtest"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

// The benchmarks of docs/PERFORMANCE.md, "Partner bill and exports":
//
//	go test -run '^$' -bench BenchmarkBill -benchtime 1x ./internal/export/
//
// One partner gets 1,000,000 consumption rows in one period (one INSERT …
// SELECT generate_series over 1,000 customers, every 20th row a refund).

const benchRows = 1_000_000

var (
	benchOnce   sync.Once
	benchTenant *billtest.Tenant
)

func benchData(b *testing.B) *billtest.Tenant {
	b.Helper()
	benchOnce.Do(func() {
		g := dbtest.DB(b)
		benchTenant = billtest.NewTenant(b, g, 1000)
		start := time.Now()
		billtest.Generate(b, g, benchTenant.ID, benchTenant.Customers, "2025-03", benchRows)
		if err := g.Exec(`ANALYZE consumption_records`).Error; err != nil {
			b.Fatal(err)
		}
		b.Logf("generated %d rows in %s", benchRows, time.Since(start).Round(time.Millisecond))
	})
	return benchTenant
}

// BenchmarkBillSummary times the period overview (one aggregate grouped
// by bill type) over 1M rows; page_ms is everything the 伙伴账单 page
// queries (periods, overview, first tab, chart).
func BenchmarkBillSummary(b *testing.B) {
	tn := benchData(b)
	g := dbtest.DB(b)
	s := bill.Service{DB: g}
	ctx := context.Background()
	period := bill.ParsePeriod("2025-03")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sum, err := s.Summary(ctx, tn.Member(), period)
		if err != nil {
			b.Fatal(err)
		}
		if sum.Total.Rows != benchRows {
			b.Fatalf("%d rows", sum.Total.Rows)
		}
	}
	b.StopTimer()
	start := time.Now()
	if _, err := s.Periods(ctx, tn.Member()); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Summary(ctx, tn.Member(), period); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Lines(ctx, tn.Member(), period, bill.TypeConsumption, 1); err != nil {
		b.Fatal(err)
	}
	if _, err := s.ByProduct(ctx, tn.Member(), period, 8); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds()), "page_ms")
}

// BenchmarkBillExport runs the export worker on the full period as xlsx
// and samples the Go heap every 20 ms: peak_heap_inuse_MB is the highest
// HeapInuse seen, alloc_MB the bytes allocated in total (garbage
// included), rows/s the throughput.
func BenchmarkBillExport(b *testing.B) { benchExport(b, KindBillXLSX) }

// BenchmarkBillExportCSV is the same export as csv (no spreadsheet
// library), for comparison.
func BenchmarkBillExportCSV(b *testing.B) { benchExport(b, KindBillCSV) }

func benchExport(b *testing.B, kind string) {
	tn := benchData(b)
	g := dbtest.DB(b)
	w := &Worker{DB: g, Clock: clock.System{}}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		var id int64
		if err := g.Raw(`INSERT INTO export_tasks (partner_id, user_id, kind, params)
			VALUES (?, ?, ?, '{"period":"2025-03","lang":"zh-CN"}') RETURNING id`, tn.ID, tn.UserID, kind).Scan(&id).Error; err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		peak := before.HeapInuse
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			t := time.NewTicker(20 * time.Millisecond)
			defer t.Stop()
			var m runtime.MemStats
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					runtime.ReadMemStats(&m)
					if m.HeapInuse > peak {
						peak = m.HeapInuse
					}
				}
			}
		}()
		start := time.Now()
		b.StartTimer()
		err := w.Process(ctx, id, 1, true)
		b.StopTimer()
		elapsed := time.Since(start)
		close(stop)
		<-sampled
		if err != nil {
			b.Fatal(err)
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		var task Task
		g.Raw(`SELECT * FROM export_tasks WHERE id = ?`, id).Scan(&task)
		if task.Status != StatusDone || task.RowsDone != benchRows {
			b.Fatalf("task %+v", task)
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak_heap_inuse_MB")
		b.ReportMetric(float64(before.HeapInuse)/(1<<20), "heap_before_MB")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), "alloc_MB")
		b.ReportMetric(float64(benchRows)/elapsed.Seconds(), "rows/s")
		b.ReportMetric(float64(task.FileSize)/(1<<20), "file_MB")
		b.ReportMetric(elapsed.Seconds(), "export_s")
	}
}
