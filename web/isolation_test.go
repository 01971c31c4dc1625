package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// dbDigest fingerprints every table except sessions (whose last-seen
// time moves on every request), so a test can prove a request changed
// nothing.
func (e *testEnv) dbDigest(t *testing.T) map[string]string {
	t.Helper()
	var tables []string
	if err := e.DB.Raw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'
		AND tablename NOT IN ('user_sessions', 'goose_db_version') ORDER BY 1`).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, tb := range tables {
		var d *string
		if err := e.DB.Raw(`SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM "` + tb + `" x`).Scan(&d).Error; err != nil {
			t.Fatal(err)
		}
		if d != nil {
			out[tb] = *d
		} else {
			out[tb] = "empty"
		}
	}
	return out
}

// TestTenantIsolation requests every route that takes an object id with
// another tenant's object: the answer is 404 (never 403, which would
// confirm the object exists) and no row changes.
func TestTenantIsolation(t *testing.T) {
	env := newEnv(t)
	for _, r := range env.App.Routes() {
		if !strings.Contains(r.Path, ":") {
			continue
		}
		row, ok := matrix[r.Key()]
		if !ok {
			continue // reported by the coverage test
		}
		if row.unscoped != "" && row.target != nil {
			continue
		}
		if row.target == nil || len(row.notFound) == 0 {
			t.Errorf("%s takes an object id: its matrix row needs a target and the foreign accounts that must get 404", r.Key())
			continue
		}
		for _, acc := range row.notFound {
			c := env.as(t, acc)
			path := row.target(t, env, acc)
			before := env.dbDigest(t)
			var res *response
			if r.Method == http.MethodGet {
				res = c.get(path)
			} else {
				form := url.Values{}
				for k, v := range row.form {
					form[k] = v
				}
				res = c.post(path, form)
			}
			if res.Status != http.StatusNotFound {
				t.Errorf("%s as %s: status %d, want 404", path, acc, res.Status)
			}
			after := env.dbDigest(t)
			for tb, d := range before {
				if after[tb] != d {
					t.Errorf("%s %s as %s changed table %s", r.Method, path, acc, tb)
				}
			}
		}
	}
}
