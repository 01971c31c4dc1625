// Package db opens the PostgreSQL connection (GORM over pgx), runs the
// embedded goose migrations and runs work inside transactions.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/url"
	"partnercenter/internal/platform/reqctx"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"partnercenter/migrations"
)

// Options size and name a pool, and set the slow-query log.
type Options struct {
	MaxConns, MaxIdleConns int
	// ApplicationName names the connections in pg_stat_activity.
	ApplicationName string
	// SlowQuery logs statements slower than this on Log (0: off).
	SlowQuery time.Duration
	Log       *slog.Logger
}

// Open connects to PostgreSQL with the default pool (20 connections, 10
// idle) and checks the connection.
func Open(ctx context.Context, dsn string) (*gorm.DB, error) {
	return OpenWith(ctx, dsn, Options{MaxConns: 20, MaxIdleConns: 10})
}

// WithApplicationName is dsn (a URL or keyword/value string) naming its
// connections name, unless it names them already.
func WithApplicationName(dsn, name string) string {
	if name == "" || strings.Contains(dsn, "application_name=") {
		return dsn
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return dsn
		}
		q := u.Query()
		q.Set("application_name", name)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " application_name=" + name
}

// OpenWith connects to PostgreSQL with o and checks the connection.
func OpenWith(ctx context.Context, dsn string, o Options) (*gorm.DB, error) {
	var lg logger.Interface = logger.Discard
	if o.SlowQuery > 0 && o.Log != nil {
		lg = slowLog{log: o.Log, threshold: o.SlowQuery}
	}
	g, err := gorm.Open(postgres.Open(WithApplicationName(dsn, o.ApplicationName)), &gorm.Config{
		Logger:                 lg,
		SkipDefaultTransaction: true,
		TranslateError:         false,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := countQueries(g); err != nil {
		return nil, err
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(o.MaxConns)
	sqlDB.SetMaxIdleConns(o.MaxIdleConns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		return nil, fmt.Errorf("ping database: %w", err)
	}
	return g, nil
}

func gooseFor(g *gorm.DB) (*sql.DB, error) {
	goose.SetBaseFS(migrations.FS)
	goose.SetLogger(log.New(io.Discard, "", 0))
	if err := goose.SetDialect("postgres"); err != nil {
		return nil, err
	}
	return g.DB()
}

// Migrate applies all pending migrations under a PostgreSQL advisory
// lock (goose's session locker): servers starting at once on one database
// migrate one after the other, the later ones finding nothing to do.
func Migrate(ctx context.Context, g *gorm.DB) error {
	sqlDB, err := g.DB()
	if err != nil {
		return err
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS, goose.WithSessionLocker(locker))
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// MigrateCommand runs a goose command (up, down, status, ...) and logs to
// w; up is Migrate's, under the lock.
func MigrateCommand(ctx context.Context, g *gorm.DB, command string, w io.Writer) error {
	if command == "up" {
		if err := Migrate(ctx, g); err != nil {
			return err
		}
		command = "status"
	}
	sqlDB, err := gooseFor(g)
	if err != nil {
		return err
	}
	goose.SetLogger(log.New(w, "", 0))
	return goose.RunContext(ctx, command, sqlDB, ".")
}

// WithTx runs fn in one transaction and retries it on serialization
// failures and deadlocks (SQLSTATE 40001, 40P01).
func WithTx(ctx context.Context, g *gorm.DB, fn func(tx *gorm.DB) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = g.WithContext(ctx).Transaction(fn)
		if !IsRetryable(err) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
	}
	return err
}

// IsRetryable reports a serialization failure or a deadlock.
func IsRetryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40001" || pg.Code == "40P01")
}

// IsUniqueViolation reports a unique constraint violation, and which
// constraint it was.
func IsUniqueViolation(err error) (string, bool) {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" {
		return pg.ConstraintName, true
	}
	return "", false
}

// IsNotFound reports gorm's record-not-found.
func IsNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }

// IDs returns the positive ids of in, each once, in first-seen order (nil
// for none): the id set of a batch read ("WHERE id IN ?") or of a batch
// action.
func IDs(in []int64) []int64 {
	seen := make(map[int64]bool, len(in))
	var out []int64
	for _, id := range in {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// Labels answers one text column (nameExpr, an SQL expression over the
// model's table) for a batch of ids in one query: the owner package's way
// to tell other packages names by id. Ids with no row are absent.
func Labels(ctx context.Context, g *gorm.DB, model any, nameExpr string, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	ids = IDs(ids)
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   int64
		Name string
	}
	if err := g.WithContext(ctx).Model(model).Select("id, "+nameExpr+" AS name").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// countQueries adds one to the request's query counter (reqctx.Meta.Queries)
// for every statement GORM runs, whatever its kind.
func countQueries(g *gorm.DB) error {
	count := func(tx *gorm.DB) {
		// A subquery is built by a dry run of the callbacks: not a statement.
		if tx.DryRun {
			return
		}
		if tx.Statement != nil && tx.Statement.Context != nil {
			reqctx.From(tx.Statement.Context).Queries.Add(1)
		}
	}
	cb := g.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("pc:count_create", count),
		cb.Query().After("gorm:query").Register("pc:count_query", count),
		cb.Update().After("gorm:update").Register("pc:count_update", count),
		cb.Delete().After("gorm:delete").Register("pc:count_delete", count),
		cb.Row().After("gorm:row").Register("pc:count_row", count),
		cb.Raw().After("gorm:raw").Register("pc:count_raw", count),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// MaxCount caps the totals of lists that grow without bound (customers,
// consumption lines, fund lines, the audit log): counting a million rows
// on every page view is what makes a list slow, and nobody pages that far.
// Below the cap a total is exact; above it the pager says "more than".
const MaxCount = 10000

type exactKey struct{}

// WithExactCount asks the lists counted in ctx for their exact totals (the
// user asked for it: 精确计数), however many rows that reads.
func WithExactCount(ctx context.Context) context.Context {
	return context.WithValue(ctx, exactKey{}, true)
}

// ExactCount reports whether ctx asks for exact totals.
func ExactCount(ctx context.Context) bool { v, _ := ctx.Value(exactKey{}).(bool); return v }

// CappedCount counts the rows q selects up to MaxCount, reading at most
// MaxCount+1 of them; capped reports that there are more. When q's context
// asks for it (WithExactCount) the count is exact.
func CappedCount(q *gorm.DB) (n int64, capped bool, err error) {
	if q.Statement != nil && q.Statement.Context != nil && ExactCount(q.Statement.Context) {
		err = q.Session(&gorm.Session{NewDB: true}).Table("(?) AS counted", q.Session(&gorm.Session{}).Select("1")).Count(&n).Error
		return n, false, err
	}
	sub := q.Session(&gorm.Session{}).Select("1").Limit(MaxCount + 1)
	if err := q.Session(&gorm.Session{NewDB: true}).Table("(?) AS capped", sub).Count(&n).Error; err != nil {
		return 0, false, err
	}
	if n > MaxCount {
		return MaxCount, true, nil
	}
	return n, false, nil
}

// Each runs q and calls fn with every row scanned into a T, reading row by
// row so an export of millions of rows is never held in memory; fn's error
// stops it.
func Each[T any](q *gorm.DB, fn func(T) error) error {
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r T
		if err := q.ScanRows(rows, &r); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// likeEscaper escapes LIKE's wildcards and its escape character.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// EscapeLike is s with LIKE's wildcards escaped, for a pattern built
// around it (a prefix search: EscapeLike(s) + "%").
func EscapeLike(s string) string { return likeEscaper.Replace(s) }

// Contains is the LIKE/ILIKE pattern of a substring search for s.
func Contains(s string) string { return "%" + EscapeLike(s) + "%" }

// slowLog is GORM's logger: it logs the statements slower than threshold
// with the request's id, without their bound values (they may hold
// personal data or secrets: the placeholders stay).
type slowLog struct {
	log       *slog.Logger
	threshold time.Duration
}

func (l slowLog) LogMode(logger.LogLevel) logger.Interface { return l }
func (slowLog) Info(context.Context, string, ...any)       {}
func (slowLog) Warn(context.Context, string, ...any)       {}
func (slowLog) Error(context.Context, string, ...any)      {}

// ParamsFilter keeps the values out of the logged SQL.
func (slowLog) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) { return sql, nil }

// Scan traces through GORM's recorder, whose filter is this package
// variable: the values stay out of that SQL too.
func init() { logger.RecorderParamsFilter = slowLog{}.ParamsFilter }

func (l slowLog) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	d := time.Since(begin)
	if d < l.threshold {
		return
	}
	sql, rows := fc()
	if len(sql) > 2000 {
		sql = sql[:2000] + "…"
	}
	l.log.LogAttrs(ctx, slog.LevelWarn, "slow query", slog.String("request_id", reqctx.From(ctx).RequestID),
		slog.Duration("duration", d), slog.Int64("rows", rows), slog.String("sql", sql))
}
