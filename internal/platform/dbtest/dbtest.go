// Package dbtest gives each test package its own fresh PostgreSQL database,
// cloned from a template that holds every migration. The template is built
// once per migration set (named by a hash of the files) under an advisory
// lock, so parallel `go test` processes share it safely.
//
// Usage, in one _test.go file of a package:
//
//	func TestMain(m *testing.M) { dbtest.Main(m) }
//
// and in tests: db := dbtest.DB(t).
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gorm.io/gorm"

	pdb "partnercenter/internal/platform/db"
	"partnercenter/migrations"
)

var (
	mu     sync.Mutex
	shared *gorm.DB
	name   string
	admin  *gorm.DB
)

// AdminURL is the server used for tests: TEST_DATABASE_URL, else
// DATABASE_URL, else the local default.
func AdminURL() string {
	for _, k := range []string{"TEST_DATABASE_URL", "DATABASE_URL"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// WithDB is dsn on another database of the same server.
func WithDB(dsn, db string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + db
	return u.String()
}

func migrationsHash() string {
	h := sha256.New()
	entries, _ := fs.Glob(migrations.FS, "*.sql")
	sort.Strings(entries)
	for _, e := range entries {
		b, _ := migrations.FS.ReadFile(e)
		h.Write([]byte(e))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func ensureTemplate(ctx context.Context, a *gorm.DB) (string, error) {
	tmpl := "pc_tmpl_" + migrationsHash()
	conn, err := a.DB()
	if err != nil {
		return "", err
	}
	c, err := conn.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, "SELECT pg_advisory_lock(7270001)"); err != nil {
		return "", err
	}
	defer c.ExecContext(context.Background(), "SELECT pg_advisory_unlock(7270001)")
	var n int
	if err := c.QueryRowContext(ctx, "SELECT count(*) FROM pg_database WHERE datname=$1", tmpl).Scan(&n); err != nil {
		return "", err
	}
	if n == 1 {
		return tmpl, nil
	}
	building := tmpl + "_b"
	_, _ = c.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building)
	if _, err := c.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	g, err := pdb.Open(ctx, WithDB(AdminURL(), building))
	if err != nil {
		return "", err
	}
	if err := pdb.Migrate(ctx, g); err != nil {
		return "", fmt.Errorf("migrate template: %w", err)
	}
	sqlDB, _ := g.DB()
	sqlDB.Close()
	if _, err := c.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+tmpl); err != nil {
		return "", err
	}
	// Drop stale templates of older migration sets (best effort).
	rows, err := c.QueryContext(ctx, "SELECT datname FROM pg_database WHERE datname LIKE 'pc\\_tmpl\\_%' AND datname <> $1", tmpl)
	if err == nil {
		var old []string
		for rows.Next() {
			var s string
			_ = rows.Scan(&s)
			old = append(old, s)
		}
		rows.Close()
		for _, s := range old {
			_, _ = c.ExecContext(ctx, "DROP DATABASE IF EXISTS "+s)
		}
	}
	return tmpl, nil
}

func open() (*gorm.DB, error) {
	mu.Lock()
	defer mu.Unlock()
	if shared != nil {
		return shared, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a, err := pdb.Open(ctx, WithDB(AdminURL(), "postgres"))
	if err != nil {
		return nil, fmt.Errorf("test database server: %w (is PostgreSQL running? see scripts/db.sh)", err)
	}
	tmpl, err := ensureTemplate(ctx, a)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name = fmt.Sprintf("pc_test_%d_%s", os.Getpid(), hex.EncodeToString(b))
	for attempt := 0; ; attempt++ {
		err = a.Exec("CREATE DATABASE " + name + " TEMPLATE " + tmpl).Error
		if err == nil || attempt == 10 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		return nil, fmt.Errorf("clone template: %w", err)
	}
	admin = a
	dropStale(ctx, a)
	shared, err = pdb.Open(ctx, WithDB(AdminURL(), name))
	return shared, err
}

// dropStale removes test databases left by test processes that were
// killed (a timeout, ^C) before Main could drop them. Only databases of
// processes that no longer run here are tried, without FORCE, so one in use
// (say by a process on another machine sharing the server) stays.
func dropStale(ctx context.Context, a *gorm.DB) {
	var names []string
	if err := a.WithContext(ctx).Raw(`SELECT datname FROM pg_database WHERE datname LIKE 'pc\_test\_%'`).Scan(&names).Error; err != nil {
		return
	}
	for _, n := range names {
		parts := strings.Split(n, "_")
		if len(parts) != 4 || n == name {
			continue
		}
		pid, err := strconv.Atoi(parts[2])
		if err != nil || processAlive(pid) {
			continue
		}
		_ = a.WithContext(ctx).Exec("DROP DATABASE IF EXISTS " + n).Error
	}
}

func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return p.Signal(syscall.Signal(0)) == nil
}

// URL returns the DSN of this package's test database (it must be open).
func URL() string { return WithDB(AdminURL(), name) }

// DB returns this package's fresh database, created on first use.
func DB(tb testing.TB) *gorm.DB {
	tb.Helper()
	g, err := open()
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// Main runs the package's tests and drops its database afterwards.
func Main(m *testing.M) {
	code := m.Run()
	mu.Lock()
	if shared != nil {
		if sqlDB, err := shared.DB(); err == nil {
			sqlDB.Close()
		}
		if !strings.HasPrefix(name, "pc_test_") {
			panic("refusing to drop " + name)
		}
		_ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").Error
	}
	mu.Unlock()
	os.Exit(code)
}
