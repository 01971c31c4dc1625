package web

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"partnercenter/internal/demo"
	"partnercenter/internal/platform/benchdoc"
)

// Benchmarks of the pages people wait on, with data generated at scale
// next to a trivial handler (/healthz) in the same run, under concurrent
// load. `make bench` runs them; each writes its section of
// docs/PERFORMANCE.md (results, not assertions).

const benchConcurrency = 20

// benchAlone is how many requests one client makes on its own per page.
const benchAlone = 50

// benchRequests per page; BENCH_REQUESTS overrides it.
var benchRequests = func() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_REQUESTS")); err == nil && n > 0 {
		return n
	}
	return 400
}()

type latencies []time.Duration

func (l latencies) pct(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	return l[int(float64(len(l)-1)*p)]
}

// load sends n GET requests to path with the client's cookies from conc
// goroutines and returns the sorted latencies.
func load(b *testing.B, c *client, path string, n, conc int) latencies {
	b.Helper()
	var mu sync.Mutex
	var out latencies
	var wg sync.WaitGroup
	jobs := make(chan struct{}, n)
	for i := 0; i < n; i++ {
		jobs <- struct{}{}
	}
	close(jobs)
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				req, _ := http.NewRequest(http.MethodGet, c.env.Srv.URL+path, nil)
				start := time.Now()
				res, err := c.http.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				d := time.Since(start)
				if res.StatusCode != http.StatusOK {
					b.Errorf("%s: status %d", path, res.StatusCode)
					return
				}
				mu.Lock()
				out = append(out, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

type benchResult struct {
	name, path string
}

// report measures each page next to /healthz and writes a section of
// docs/PERFORMANCE.md named by section.
func report(b *testing.B, section, setup string, c *client, pages []benchResult, plans map[string]string) {
	b.Helper()
	// Warm up every page (caches, plans, connections) before measuring.
	for _, p := range append([]benchResult{{path: "/healthz"}}, pages...) {
		load(b, c, p.path, 2*benchConcurrency, benchConcurrency)
	}
	trivial := load(b, c, "/healthz", benchRequests, benchConcurrency)
	var sb strings.Builder
	fmt.Fprintf(&sb, "## %s\n\n%s\n\nMeasured %s on %d cores; %d requests per page, %d concurrent clients, over HTTP on loopback.\n\n",
		section, setup, time.Now().UTC().Format("2006-01-02 15:04 MST"), numCPU(), benchRequests, benchConcurrency)
	// One client alone, too: the page's own time. Under 20 clients on
	// this machine's cores a request waits for the others, so p50 under
	// load is about (clients ÷ cores) × this when the work is CPU-bound.
	alone := func(path string) time.Duration { return load(b, c, path, benchAlone, 1).pct(.5) }
	sb.WriteString("| page | p50 | p95 | p99 | p95 ÷ trivial p95 | p50, one client alone |\n|---|---|---|---|---|---|\n")
	fmt.Fprintf(&sb, "| trivial handler `/healthz` (same middleware: session, sign-in, permission) | %s | %s | %s | 1.0 | %s |\n",
		ms(trivial.pct(.5)), ms(trivial.pct(.95)), ms(trivial.pct(.99)), ms(alone("/healthz")))
	for _, p := range pages {
		lat := load(b, c, p.path, benchRequests, benchConcurrency)
		ratio := float64(lat.pct(.95)) / float64(max(trivial.pct(.95), time.Microsecond))
		fmt.Fprintf(&sb, "| %s `%s` | %s | %s | %s | %.1f | %s |\n", p.name, p.path, ms(lat.pct(.5)), ms(lat.pct(.95)), ms(lat.pct(.99)), ratio, ms(alone(p.path)))
	}
	if len(plans) > 0 {
		sb.WriteString("\nQuery plans of the main list queries:\n")
		keys := make([]string, 0, len(plans))
		for k := range plans {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&sb, "\n%s:\n\n```\n%s\n```\n", k, plans[k])
		}
	}
	writeSection(b, section, sb.String())
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func numCPU() int {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return 0
	}
	return strings.Count(string(data), "processor\t:")
}

// writeSection replaces (or appends) one "## section" of docs/PERFORMANCE.md.
func writeSection(b *testing.B, section, body string) {
	if err := benchdoc.WriteSection(section, body); err != nil {
		b.Fatal(err)
	}
}

// explain returns the plan of a query (EXPLAIN ANALYZE, text).
func explain(b *testing.B, env *testEnv, query string, args ...any) string {
	var lines []string
	if err := env.DB.Raw("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) "+query, args...).Scan(&lines).Error; err != nil {
		b.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

// BenchmarkVendorPartnerDirectory: 20,000 partners, one ecosystem manager
// responsible for 2,000 of them.
func BenchmarkVendorPartnerDirectory(b *testing.B) {
	env := newEnv(b)
	eco := env.World.Users[demo.EcoManager]
	if err := env.DB.Exec(`
		INSERT INTO partners (name, credit_code, status, eco_manager_id, joined_hcpn_at, created_at)
		SELECT '基准伙伴' || g || '有限公司', lpad(g::text, 18, '9'), CASE WHEN g % 10 = 0 THEN 'pending_review' ELSE 'active' END,
		       CASE WHEN g % 10 = 0 THEN ?::bigint ELSE NULL END, now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
		FROM generate_series(1, 20000) g`, eco).Error; err != nil {
		b.Fatal(err)
	}
	env.DB.Exec("ANALYZE partners")
	c := env.as(b, demo.EcoManager)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		report(b, "Vendor partner directory", "20,000 partners; `eco_manager` is responsible for 2,002 of them.", c, []benchResult{
			{name: "partner list, first page", path: "/partners"},
			{name: "partner list, search", path: "/partners?q=%E5%9F%BA%E5%87%86%E4%BC%99%E4%BC%B4199"},
			{name: "partner list, sort by join date, page 50", path: "/partners?sort=joined&dir=desc&page=50"},
		}, map[string]string{
			"eco manager's first page": explain(b, env, `SELECT p.id FROM partners p WHERE p.eco_manager_id = ? ORDER BY p.created_at DESC, p.id LIMIT 20`, eco),
		})
	}
}
