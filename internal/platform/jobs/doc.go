// Package jobs runs background work with River (github.com/riverqueue/river):
// a job queue kept in PostgreSQL, so app servers stay stateless and a job
// survives a restart.
//
// # Schema
//
// River's tables come from migrations/00009_exports.sql, which carries
// River's own migrations (versions 1–8 of the "main" line) verbatim and
// records them in river_migration. The goose path therefore builds them
// everywhere goose runs — `partnercenter migrate up`, serve, and the test
// template database of internal/platform/dbtest — without a second
// migration tool. Migrate then runs rivermigrate itself: after goose it
// finds nothing to do, and after an upgrade of River it applies River's
// newer versions. TestMigrationCarriesRiverSchema fails when River's
// migrations and the goose file differ, so an upgrade is noticed (copy the
// new versions into a new goose file).
//
// # Enqueueing in the business transaction
//
// GORM runs on database/sql (pgx's stdlib driver) while River's pgx driver
// wants a pgx.Tx. WithTx bridges them without a second pool: it takes one
// connection from GORM's pool, runs the caller's GORM transaction on it,
// and gives the caller an Enqueue function that inserts River jobs through
// the same connection (pgx's *Conn under database/sql, reached with
// sql.Conn.Raw) — so the business row, its audit row and its job commit
// or roll back together. The inserting River client has no pool of its
// own (riverpgxv5.New(nil) is River's insert-only mode).
//
// # Working jobs
//
// Start opens a pgxpool on DATABASE_URL (River's pgx driver needs one for
// LISTEN/NOTIFY and fetching), checks River's migrations and starts a
// client with the given workers on the default queue. serve starts it;
// tests start their own on the package's test database and wait for
// results. Workers must be idempotent: River retries a failed job, and a
// job may be worked again after a crash before its completion was
// recorded.
//
// # Crashes and stopping
//
// A running job beats (a worker middleware refreshes its attempted_at
// every Config.Heartbeat, 10 s); every client sweeps the running jobs
// whose beat is older than Config.DeadAfter (45 s) and makes them
// available again — their server died — or discards them when their
// attempts are spent. River's own rescuer would wait for the worker's
// timeout since the job began (an hour for an import), and cannot tell a
// dead job from a long one; it stays as the backstop.
// TestJobOfAKilledServerFinishesElsewhere kills a server mid-job.
//
// Start runs River on a context of its own: the caller's ending (SIGTERM)
// cancels nothing. Stop stops fetching, lets running jobs finish until its
// context ends, then cancels them (they are retried elsewhere).
package jobs
