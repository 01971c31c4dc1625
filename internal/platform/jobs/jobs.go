package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	pdb "partnercenter/internal/platform/db"
	"partnercenter/internal/platform/metrics"
)

// Config tunes a working client.
type Config struct {
	// Workers is the number of jobs worked at once (default 2).
	Workers int
	// PollInterval is how often the queue is polled besides LISTEN/NOTIFY
	// (default one second; tests use less).
	PollInterval time.Duration
	Logger       *slog.Logger
	// Periodic jobs are enqueued on their schedule by the elected leader
	// among running clients (one enqueue per tick, however many servers).
	Periodic []*river.PeriodicJob
	// MaxConns sizes River's pool (default 6); ApplicationName names its
	// connections (with "-jobs" added).
	MaxConns        int
	ApplicationName string
	// Heartbeat is how often a running job says it is alive (default
	// 10 s); DeadAfter how long a running job may go without one before
	// it is worked again elsewhere (default 45 s). Tests shorten them.
	Heartbeat, DeadAfter time.Duration
}

// Client is a River client that works jobs.
type Client struct {
	River       *river.Client[pgx.Tx]
	pool        *pgxpool.Pool
	unsubscribe func()
	stopSweep   chan struct{}
	swept       chan struct{}
}

// OpenPool opens the pgx pool River works with (six connections).
func OpenPool(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	return openPool(ctx, dsn, 6, "")
}

func openPool(ctx context.Context, dsn string, maxConns int, appName string) (*pgxpool.Pool, error) {
	if appName != "" {
		dsn = pdb.WithApplicationName(dsn, appName+"-jobs")
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("jobs: parse database url: %w", err)
	}
	cfg.MaxConns = int32(max(maxConns, 2))
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: open pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("jobs: ping: %w", err)
	}
	return pool, nil
}

// Migrate runs River's migrations (rivermigrate, line "main"): a no-op
// when the goose migrations already carry River's current schema.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) (int, error) {
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: quiet(log)})
	if err != nil {
		return 0, err
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, fmt.Errorf("jobs: river migrations: %w", err)
	}
	return len(res.Versions), nil
}

// MigrateURL is Migrate on a pool of its own (for `migrate up`).
func MigrateURL(ctx context.Context, dsn string, log *slog.Logger) (int, error) {
	pool, err := OpenPool(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer pool.Close()
	return Migrate(ctx, pool, log)
}

func quiet(log *slog.Logger) *slog.Logger {
	if log != nil {
		return log
	}
	return slog.New(slog.DiscardHandler)
}

// Start opens a pool on dsn, applies River's pending migrations and
// starts working jobs with workers on the default queue.
//
// The client runs on a context of its own: the caller's ending (a SIGTERM)
// does not cancel running jobs; Stop does, after its grace.
func Start(ctx context.Context, dsn string, workers *river.Workers, cfg Config) (*Client, error) {
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = 6
	}
	pool, err := openPool(ctx, dsn, cfg.MaxConns, cfg.ApplicationName)
	if err != nil {
		return nil, err
	}
	if _, err := Migrate(ctx, pool, cfg.Logger); err != nil {
		pool.Close()
		return nil, err
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	cfg.Heartbeat = cmp.Or(cfg.Heartbeat, 10*time.Second)
	cfg.DeadAfter = cmp.Or(cfg.DeadAfter, 45*time.Second)
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Middleware:        []rivertype.Middleware{&heartbeat{pool: pool, every: cfg.Heartbeat}},
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:           workers,
		Logger:            quiet(cfg.Logger),
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     min(cfg.PollInterval, river.FetchCooldownDefault),
		MaxAttempts:       3,
		PeriodicJobs:      cfg.Periodic,
	})
	if err != nil {
		pool.Close()
		return nil, err
	}
	events, unsubscribe := rc.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled,
		river.EventKindJobSnoozed)
	go countJobs(events)
	if err := rc.Start(context.WithoutCancel(ctx)); err != nil {
		unsubscribe()
		pool.Close()
		return nil, err
	}
	current.Store(pool)
	gaugeOnce.Do(registerQueueGauge)
	c := &Client{River: rc, pool: pool, unsubscribe: unsubscribe, stopSweep: make(chan struct{}), swept: make(chan struct{})}
	go c.sweepDead(cfg.Heartbeat, cfg.DeadAfter, quiet(cfg.Logger))
	return c, nil
}

// sweepDead works again, every interval, the running jobs whose heartbeat
// stopped more than after ago: their server died (SIGKILL, a lost
// machine). River's own rescuer waits for the worker's timeout since the
// job began (an hour for an import); the heartbeat tells a dead job from
// a long one at once. A job with attempts left is made available with the
// loss recorded as its attempt's error; one without is discarded. Every
// server sweeps: the UPDATE is idempotent.
func (c *Client) sweepDead(interval, after time.Duration, log *slog.Logger) {
	defer close(c.swept)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-c.stopSweep:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), interval)
		tag, err := c.pool.Exec(ctx, `UPDATE river_job SET
			state = CASE WHEN attempt < max_attempts THEN 'available'::river_job_state ELSE 'discarded'::river_job_state END,
			scheduled_at = now(),
			finalized_at = CASE WHEN attempt < max_attempts THEN NULL ELSE now() END,
			errors = array_append(errors, jsonb_build_object('at', now(), 'attempt', attempt,
				'error', 'heartbeat lost: the server working the job stopped', 'trace', ''))
			WHERE state = 'running' AND metadata ? 'pc_heartbeat' AND attempted_at < now() - make_interval(secs => $1)`, after.Seconds())
		cancel()
		switch {
		case err != nil:
			log.Warn("jobs: sweep of dead jobs", "err", err)
		case tag.RowsAffected() > 0:
			log.Warn("jobs: took over the jobs of a dead server", "jobs", tag.RowsAffected())
			metrics.Jobs.WithLabelValues("any", "taken_over").Add(float64(tag.RowsAffected()))
		}
	}
}

var (
	// current is the pool of the last client started: the queue gauge
	// reads the queue through it at each scrape.
	current   atomic.Pointer[pgxpool.Pool]
	gaugeOnce sync.Once
)

// registerQueueGauge exports the jobs waiting, running and to retry by
// state (pc_jobs_queued).
func registerQueueGauge() {
	_ = metrics.Gauge("pc_jobs_queued", "Background jobs not yet finished, by state.", []string{"state"}, func(emit func(float64, ...string)) {
		pool := current.Load()
		if pool == nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		rows, err := pool.Query(ctx, `SELECT state::text, count(*) FROM river_job
			WHERE state IN ('available', 'running', 'retryable', 'scheduled') GROUP BY state`)
		if err != nil {
			return
		}
		defer rows.Close()
		for rows.Next() {
			var state string
			var n int64
			if rows.Scan(&state, &n) == nil {
				emit(float64(n), state)
			}
		}
	})
}

// heartbeat refreshes a running job's attempted_at while it runs, so that
// sweepDead can tell a job whose server died from a long one.
type heartbeat struct {
	river.MiddlewareDefaults
	pool  *pgxpool.Pool
	every time.Duration
}

func (h *heartbeat) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	beat := func() {
		ctx, cancel := context.WithTimeout(context.Background(), h.every)
		defer cancel()
		// The stamp says this job beats: only such jobs are swept (a server
		// of an earlier version, without heartbeats, keeps its jobs).
		_, _ = h.pool.Exec(ctx, `UPDATE river_job SET attempted_at = now(), metadata = metadata || '{"pc_heartbeat": true}'
			WHERE id = $1 AND state = 'running'`, job.ID)
	}
	beat()
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(h.every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				beat()
			}
		}
	}()
	return doInner(ctx)
}

// countJobs records each worked job's outcome and run time.
func countJobs(events <-chan *river.Event) {
	for ev := range events {
		outcome := strings.TrimPrefix(string(ev.Kind), "job_")
		if ev.Kind == river.EventKindJobFailed && ev.Job != nil && ev.Job.State == "discarded" {
			outcome = "discarded"
		}
		kind := "unknown"
		if ev.Job != nil {
			kind = ev.Job.Kind
		}
		metrics.Jobs.WithLabelValues(kind, outcome).Inc()
		if ev.JobStats != nil {
			metrics.JobDuration.WithLabelValues(kind).Observe(ev.JobStats.RunDuration.Seconds())
		}
	}
}

// Stop stops fetching, lets running jobs finish until ctx ends, then
// cancels the ones still running (they are retried by a live server), and
// closes the pool.
func (c *Client) Stop(ctx context.Context) error {
	if c == nil {
		return nil
	}
	err := c.River.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		cancelled, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = c.River.StopAndCancel(cancelled)
	}
	if c.unsubscribe != nil {
		c.unsubscribe()
	}
	if c.stopSweep != nil {
		close(c.stopSweep)
		<-c.swept
	}
	current.CompareAndSwap(c.pool, nil)
	c.pool.Close()
	return err
}

var (
	insertOnce sync.Once
	inserter   *river.Client[pgx.Tx]
	insertErr  error
)

// insertClient is River's insert-only client (no pool: jobs are inserted
// through the caller's transaction).
func insertClient() (*river.Client[pgx.Tx], error) {
	insertOnce.Do(func() {
		inserter, insertErr = river.NewClient(riverpgxv5.New(nil), &river.Config{
			Logger: slog.New(slog.DiscardHandler), MaxAttempts: 3})
	})
	return inserter, insertErr
}

// Enqueue inserts a job in the transaction WithTx runs; it returns the
// job's id.
type Enqueue func(args river.JobArgs, opts *river.InsertOpts) (int64, error)

// WithTx runs fn in one database transaction (retried on serialization
// failures like db.WithTx) whose enqueue inserts River jobs in that same
// transaction: the business rows and their jobs commit together or not
// at all.
func WithTx(ctx context.Context, g *gorm.DB, fn func(tx *gorm.DB, enqueue Enqueue) error) error {
	rc, err := insertClient()
	if err != nil {
		return err
	}
	sqlDB, err := g.DB()
	if err != nil {
		return err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	onConn := g.Session(&gorm.Session{NewDB: true, Context: ctx})
	onConn.Statement.ConnPool = conn
	return pdb.WithTx(ctx, onConn, func(tx *gorm.DB) error {
		enqueue := func(args river.JobArgs, opts *river.InsertOpts) (int64, error) {
			var id int64
			err := conn.Raw(func(dc any) error {
				sc, ok := dc.(*stdlib.Conn)
				if !ok {
					return fmt.Errorf("jobs: driver connection is %T, not pgx", dc)
				}
				res, err := rc.InsertTx(ctx, connTx{sc.Conn()}, args, opts)
				if err != nil {
					return err
				}
				id = res.Job.ID
				return nil
			})
			return id, err
		}
		return fn(tx, enqueue)
	})
}

// ErrNoTx guards connTx against ending the transaction database/sql owns.
var ErrNoTx = errors.New("jobs: the transaction belongs to database/sql; it commits or rolls back there")
