// Package metrics is the server's Prometheus instrumentation (the official
// client, github.com/prometheus/client_golang): one registry with the Go
// and process collectors, the HTTP requests by route and status with
// their latency, the database pools, River's jobs, and the business
// counters operators ask about — sign-in failures, money moves, imports.
// The series are package variables, the client library's idiom: a package
// that counts something calls Inc here, and Handler serves them all.
package metrics

import (
	"database/sql"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds every series this process exports.
var Registry = prometheus.NewRegistry()

var (
	// HTTPRequests counts requests by route pattern (not the raw path:
	// ids would explode the series), method and status.
	HTTPRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pc_http_requests_total", Help: "HTTP requests by route, method and status.",
	}, []string{"route", "method", "status"})
	// HTTPDuration is the latency by route and method.
	HTTPDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "pc_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method"})
	// Jobs counts worked River jobs by kind and outcome (completed,
	// failed: will be retried, discarded, cancelled, snoozed).
	Jobs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pc_jobs_total", Help: "Background jobs worked, by kind and outcome.",
	}, []string{"kind", "outcome"})
	// JobDuration is how long a job ran, by kind.
	JobDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "pc_job_duration_seconds", Help: "Background job run time by kind.",
		Buckets: []float64{.01, .05, .1, .5, 1, 5, 10, 30, 60, 300, 900},
	}, []string{"kind"})
	// SignInFailures counts refused sign-ins (a wrong password, a locked
	// account, a bad one-time code).
	SignInFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pc_signin_failures_total", Help: "Refused sign-ins by reason.",
	}, []string{"reason"})
	// MoneyMoves counts posted ledger entries by kind.
	MoneyMoves = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pc_money_moves_total", Help: "Ledger postings by kind.",
	}, []string{"kind"})
	// Imports counts consumption imports by outcome.
	Imports = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pc_consumption_imports_total", Help: "Consumption imports by outcome.",
	}, []string{"outcome"})
)

func init() {
	Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		HTTPRequests, HTTPDuration, Jobs, JobDuration, SignInFailures, MoneyMoves, Imports)
}

// RegisterDB exports a database/sql pool's statistics (open, in use, idle,
// waits) under a pool name.
func RegisterDB(db *sql.DB, pool string) error {
	return Registry.Register(collectors.NewDBStatsCollector(db, pool))
}

// Gauge exports a value read at each scrape (River's queue depth).
func Gauge(name, help string, labels []string, collect func(emit func(v float64, labelValues ...string))) error {
	desc := prometheus.NewDesc(name, help, labels, nil)
	return Registry.Register(gaugeFunc{desc: desc, collect: collect})
}

type gaugeFunc struct {
	desc    *prometheus.Desc
	collect func(emit func(v float64, labelValues ...string))
}

func (g gaugeFunc) Describe(ch chan<- *prometheus.Desc) { ch <- g.desc }

func (g gaugeFunc) Collect(ch chan<- prometheus.Metric) {
	g.collect(func(v float64, lv ...string) {
		ch <- prometheus.MustNewConstMetric(g.desc, prometheus.GaugeValue, v, lv...)
	})
}

// Handler serves the registry in Prometheus' text format.
func Handler() http.Handler {
	return promhttp.HandlerFor(Registry, promhttp.HandlerOpts{Registry: Registry})
}
