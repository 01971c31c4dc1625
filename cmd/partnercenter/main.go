// Command partnercenter runs the Partner Center server and its maintenance
// subcommands:
//
//	partnercenter [serve]             run the web server (default)
//	partnercenter migrate up|down|status
//	partnercenter seed demo           load demo data into an empty database
//	partnercenter sessions purge      delete expired sessions
//	partnercenter check ledger        verify the ledger (exit 1 on any difference)
//	partnercenter version             the version and commit stamped by make build
//	partnercenter help                this list (also -h, --help)
//
// help and version need no database; a bad configuration value stops every
// other command with a message naming its variable (docs/OPERATIONS.md).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/approval"
	"partnercenter/internal/benefit"
	"partnercenter/internal/consumption"
	"partnercenter/internal/customer"
	"partnercenter/internal/demo"
	"partnercenter/internal/export"
	"partnercenter/internal/identity"
	"partnercenter/internal/incentive"
	"partnercenter/internal/mdf"
	"partnercenter/internal/opportunity"
	"partnercenter/internal/outbox"
	"partnercenter/internal/paths"
	"partnercenter/internal/people"
	"partnercenter/internal/performance"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/config"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/jobs"
	"partnercenter/internal/platform/metrics"
	"partnercenter/internal/platform/secretbox"
	"partnercenter/internal/program"
	"partnercenter/internal/webhook"
	"partnercenter/web"
)

// Stamped by make build (-ldflags -X); a plain go build says "dev" and
// takes the commit from the module's build information.
var (
	version = "dev"
	commit  = ""
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "partnercenter:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

const usageText = `usage: partnercenter [command]

  serve [--no-migrate]   run the web server and its background jobs (default);
                         --no-migrate where a release step runs migrate up
  migrate up|down|status apply, roll back or list the database migrations
  seed demo              load the demo data into an empty database
  sessions purge         delete expired sessions
  secrets reseal         seal every authenticator seed with the first key of SECRET_KEYS
  check ledger           verify the ledger and the quotas (exit 1 on any difference)
  version                print the version and commit
  help                   print this text

Configuration comes from the environment: docs/OPERATIONS.md lists every variable.
`

var errUsage = errors.New("unknown command (partnercenter help lists them)")

// versionText is the version line.
func versionText() string {
	c := commit
	if c == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					c = s.Value[:12]
				}
			}
		}
	}
	if c == "" {
		c = "unknown"
	}
	return fmt.Sprintf("partnercenter %s (commit %s, %s)\n", version, c, runtime.Version())
}

func run(args []string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	switch cmd {
	case "help", "-h", "--help":
		_, err := io.WriteString(stdout, usageText)
		return err
	case "version", "--version":
		_, err := io.WriteString(stdout, versionText())
		return err
	case "serve", "migrate", "seed", "check", "sessions", "secrets":
	default:
		return errUsage
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel)
	box, err := secretbox.Parse(cfg.SecretKeys)
	if err != nil {
		return fmt.Errorf("SECRET_KEYS: %w", err)
	}
	secretbox.Use(box)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	g, err := db.OpenWith(ctx, cfg.DatabaseURL, db.Options{MaxConns: cfg.DBMaxConns, MaxIdleConns: cfg.DBMaxIdleConns,
		ApplicationName: cfg.ApplicationName, SlowQuery: cfg.SlowQuery, Log: log})
	if err != nil {
		return err
	}
	switch cmd {
	case "serve":
		if slices.Contains(args[min(1, len(args)):], "--no-migrate") {
			cfg.Migrate = false
		}
		return serve(ctx, cfg, g, log)
	case "migrate":
		if len(args) < 2 {
			return errUsage
		}
		if err := db.MigrateCommand(ctx, g, args[1], os.Stdout); err != nil || args[1] != "up" {
			return err
		}
		// River's own migrations: nothing to do unless River was upgraded
		// (internal/platform/jobs).
		_, err := jobs.MigrateURL(ctx, cfg.DatabaseURL, log)
		return err
	case "seed":
		if len(args) < 2 || args[1] != "demo" {
			return errUsage
		}
		if err := db.Migrate(ctx, g); err != nil {
			return err
		}
		loaded, err := demo.SeedIfEmpty(ctx, g)
		if err != nil {
			return err
		}
		if loaded {
			fmt.Println("demo data loaded")
		} else {
			fmt.Println("database already has data; demo data not loaded")
		}
		return nil
	case "check":
		if len(args) < 2 || args[1] != "ledger" {
			return errUsage
		}
		return checkLedger(ctx, g, os.Stdout)
	case "secrets":
		if len(args) < 2 || args[1] != "reseal" {
			return errUsage
		}
		n, err := identity.ResealTOTP(ctx, g)
		if err == nil {
			fmt.Fprintf(stdout, "resealed %d authenticator seeds with key %s\n", n, strings.SplitN(cfg.SecretKeys, ":", 2)[0])
		}
		return err
	case "sessions":
		if len(args) < 2 || args[1] != "purge" {
			return errUsage
		}
		app, _, err := web.New(g, cfg, clock.System{}, log)
		if err != nil {
			return err
		}
		n, err := app.Sessions.PurgeExpired(ctx)
		if err == nil {
			fmt.Printf("purged %d expired sessions\n", n)
		}
		return err
	}
	return errUsage
}

func serve(ctx context.Context, cfg config.Config, g *gorm.DB, log *slog.Logger) error {
	if cfg.Migrate {
		if err := db.Migrate(ctx, g); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	if sqlDB, err := g.DB(); err == nil {
		_ = metrics.RegisterDB(sqlDB, "web")
	}
	app, e, err := web.New(g, cfg, clock.System{}, log)
	if err != nil {
		return err
	}
	if cfg.ReplicaURL != "" {
		if app.Replica, err = db.OpenWith(ctx, cfg.ReplicaURL, db.Options{MaxConns: max(2, cfg.DBMaxConns/4), MaxIdleConns: 2,
			ApplicationName: cfg.ApplicationName + "-replica", SlowQuery: cfg.SlowQuery, Log: log}); err != nil {
			return fmt.Errorf("DATABASE_REPLICA_URL: %w", err)
		}
	}
	// Background jobs (exports, consumption imports; the periodic expiry
	// sweep of customer reports and invitations, the reviewers' reminder)
	// are worked in this process.
	periodic := append(customer.PeriodicJobs(), approval.PeriodicJobs()...)
	periodic = append(periodic, program.PeriodicJobs()...)
	periodic = append(periodic, paths.PeriodicJobs()...)
	periodic = append(periodic, performance.PeriodicJobs()...)
	periodic = append(periodic, incentive.PeriodicJobs()...)
	periodic = append(periodic, opportunity.PeriodicJobs()...)
	periodic = append(periodic, outbox.PeriodicJobs()...)
	periodic = append(periodic, webhook.PeriodicJobs()...)
	periodic = append(periodic, people.PeriodicJobs()...)
	periodic = append(periodic, benefit.PeriodicJobs()...)
	periodic = append(periodic, mdf.PeriodicJobs()...)
	periodic = append(periodic, export.PeriodicJobs()...)
	periodic = append(periodic, consumption.PeriodicJobs()...)
	if app.Jobs, err = jobs.Start(ctx, cfg.DatabaseURL, app.Workers(), jobs.Config{Logger: log, Periodic: periodic, Workers: cfg.JobsWorkers,
		MaxConns: cfg.JobsMaxConns, ApplicationName: cfg.ApplicationName}); err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	go purgeSessions(ctx, app, log)
	srv := &http.Server{Addr: cfg.Addr, Handler: e, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 2)
	go func() { errc <- srv.ListenAndServe() }()
	var admin *http.Server
	if cfg.AdminAddr != "" {
		admin = &http.Server{Addr: cfg.AdminAddr, Handler: adminMux(cfg.Pprof), ReadHeaderTimeout: 10 * time.Second}
		go func() { errc <- admin.ListenAndServe() }()
		log.Info("admin listener", "addr", cfg.AdminAddr, "pprof", cfg.Pprof)
	}
	log.Info("Partner Center listening", "addr", cfg.Addr, "url", cfg.BaseURL, "version", version)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Stopping: readiness answers 503, then requests in flight and running
	// jobs get the grace to finish; jobs still running after it are
	// cancelled and retried by another server.
	app.Stopping.Store(true)
	log.Info("shutting down", "drain", cfg.ShutdownDrain, "grace", cfg.ShutdownGrace)
	shutdown, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	jobsDone := make(chan error, 1)
	go func() { jobsDone <- app.Jobs.Stop(shutdown) }() // stop fetching now; running jobs finish alongside the requests
	// The balancer sees /readyz answer 503 for the drain before the listener closes.
	select {
	case <-time.After(cfg.ShutdownDrain):
	case <-shutdown.Done():
	}
	err = srv.Shutdown(shutdown)
	if jerr := <-jobsDone; jerr != nil {
		log.Warn("jobs stopped", "err", jerr)
	}
	if admin != nil {
		_ = admin.Shutdown(shutdown)
	}
	return err
}

// adminMux is the admin listener: /metrics, and Go's profiler when asked.
func adminMux(profile bool) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler())
	if profile {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	return mux
}

// purgeSessions deletes expired sessions and old sign-in failures hourly.
func purgeSessions(ctx context.Context, app *web.App, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := app.Sessions.PurgeExpired(ctx); err != nil {
			log.Error("purge sessions", "err", err)
		} else if n > 0 {
			log.Info("purged expired sessions", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: l}))
}
