package db_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/dbtest"
)

// Three servers migrating one empty database at once all succeed (issue
// 17: without the advisory lock two failed on a duplicate type), and the
// schema is whole.
func TestConcurrentMigrationsOnAnEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	admin, err := db.Open(ctx, dbtest.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("pc_migrate_%d", time.Now().UnixNano())
	if err := admin.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	url := dbtest.WithDB(dbtest.AdminURL(), name)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g, err := db.Open(ctx, url)
			if err != nil {
				errs[i] = err
				return
			}
			defer func() {
				if s, err := g.DB(); err == nil {
					s.Close()
				}
			}()
			errs[i] = db.Migrate(ctx, g)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("server %d: %v", i, err)
		}
	}
	g, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if s, err := g.DB(); err == nil {
			s.Close()
		}
	}()
	var applied, files int64
	g.Raw(`SELECT count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0 AND is_applied`).Scan(&applied)
	g.Raw(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'fh_gradings'`).Scan(&files)
	if applied < 65 || files != 1 {
		t.Fatalf("%d migrations applied, fh_gradings %d", applied, files)
	}
}
