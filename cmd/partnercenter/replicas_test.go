package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/demo"
	"partnercenter/internal/platform/config"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/dbtest"
)

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// Three servers started at once on one fresh database (serve, as the
// command runs it): they migrate one after the other under the advisory
// lock; a sign-in on one is a session on the others; the periodic jobs
// that run at start are enqueued once, by the elected leader, not once
// per server.
func TestThreeServersOnOneFreshDatabase(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	admin, err := db.Open(ctx, dbtest.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("pc_replicas_%d", time.Now().UnixNano())
	if err := admin.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatal(err)
	}
	dsn := dbtest.WithDB(dbtest.AdminURL(), name)
	var wg sync.WaitGroup
	t.Cleanup(func() {
		stop()
		wg.Wait()
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	log := slog.New(slog.DiscardHandler)
	urls := make([]string, 3)
	pools := make([]*gorm.DB, 3)
	for i := range urls {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		urls[i] = "http://" + addr
		cfg, err := config.Load()
		if err != nil {
			t.Fatal(err)
		}
		cfg.DatabaseURL, cfg.Addr, cfg.BaseURL, cfg.ApplicationName = dsn, addr, urls[i], fmt.Sprintf("pc-replica-%d", i)
		cfg.DBMaxConns, cfg.DBMaxIdleConns, cfg.ShutdownGrace, cfg.ShutdownDrain = 6, 2, 5*time.Second, 0
		if pools[i], err = db.OpenWith(ctx, dsn, db.Options{MaxConns: cfg.DBMaxConns, MaxIdleConns: 2, ApplicationName: cfg.ApplicationName}); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := serve(ctx, cfg, pools[i], log); err != nil && ctx.Err() == nil {
				t.Errorf("server %d: %v", i, err)
			}
		}()
	}
	for i, u := range urls {
		waitReady(t, u, fmt.Sprintf("server %d", i))
	}
	if _, err := demo.Seed(ctx, pools[0]); err != nil {
		t.Fatal(err)
	}

	jar, _ := cookiejar.New(nil) // cookies are per host, whatever the port: the three servers share them
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	body := func(r *http.Response) string {
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return string(b)
	}
	r, err := c.Get(urls[0] + "/login")
	if err != nil {
		t.Fatal(err)
	}
	m := csrfRe.FindStringSubmatch(body(r))
	if m == nil {
		t.Fatal("no CSRF token on the sign-in page")
	}
	r, err = c.PostForm(urls[0]+"/login", url.Values{"_csrf": {m[1]}, "login_name": {demo.SPAdmin}, "password": {demo.DemoPassword}})
	if err != nil {
		t.Fatal(err)
	}
	body(r)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in on server 0: %d", r.StatusCode)
	}
	for i, u := range urls[1:] {
		r, err := c.Get(u + "/org/members")
		if err != nil {
			t.Fatal(err)
		}
		if b := body(r); r.StatusCode != http.StatusOK || !strings.Contains(b, demo.SPAdmin) {
			t.Fatalf("server %d does not know server 0's session: %d", i+1, r.StatusCode)
		}
	}

	var jobs, names int64
	pools[0].Raw(`SELECT count(*) FROM river_job WHERE kind = 'performance_form'`).Scan(&jobs)
	pools[0].Raw(`SELECT count(DISTINCT application_name) FROM pg_stat_activity WHERE datname = ? AND application_name LIKE 'pc-replica-%'`, name).Scan(&names)
	if jobs != 1 {
		t.Fatalf("the start-up performance job was enqueued %d times by three servers; want 1", jobs)
	}
	if names < 6 { // each server's web pool and its River pool
		t.Errorf("pg_stat_activity names %d pools; want the six of three servers", names)
	}
}

// waitReady polls a server's /readyz until it answers 200.
func waitReady(t *testing.T, base, who string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		r, err := http.Get(base + "/readyz")
		if err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is not ready: %v", who, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
