package web

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// inputNames are every form field and query parameter a handler reads,
// found in the handlers' source (FormValue, QueryParam, queryInt, …), so
// a new field is covered without editing this test.
func inputNames(t *testing.T) []string {
	t.Helper()
	re := regexp.MustCompile(`(?:FormValue|QueryParam|queryInt|FormFile|formValues|custFormIDs|custFormInt64|FormParams\(\)\[)\(?"([a-z_]+)"`)
	files, _ := filepath.Glob("*.go")
	set := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			set[m[1]] = true
		}
	}
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	if len(out) < 40 {
		t.Fatalf("found only %d input names: the pattern no longer matches the handlers", len(out))
	}
	return out
}

// poison is a value no person types: a NUL byte, an invalid UTF-8 byte
// and a lone continuation byte around ordinary text.
const poison = "名\x00称\xff\x80x"

// TestNULAndInvalidUTF8NeverGiveA500 walks the route table: every route is
// requested by an account its matrix row lets through, with every input
// name the handlers read set to a NUL / invalid UTF-8 value (added to the
// row's own form, whose values are poisoned too). No answer may be 500:
// the values are cleaned once (cleanInput) before anything reads them.
func TestNULAndInvalidUTF8NeverGiveA500(t *testing.T) {
	env := newEnv(t)
	names := inputNames(t)
	clients := map[string]*client{}
	clientFor := func(acc string) *client {
		if c, ok := clients[acc]; ok {
			return c
		}
		var c *client
		if acc == anon {
			c = env.client(t)
			c.get("/login")
		} else {
			c = env.as(t, acc)
		}
		clients[acc] = c
		return c
	}
	routes := env.App.Routes()
	sort.Slice(routes, func(i, j int) bool { return routes[i].Key() < routes[j].Key() })
	tried := 0
	for _, r := range routes {
		row, ok := matrix[r.Key()]
		if !ok || r.Key() == "POST /logout" {
			continue
		}
		acc := anon
		if !row.public {
			if len(row.allow) == 0 {
				continue
			}
			acc = row.allow[0]
		}
		c := clientFor(acc)
		path := r.Path
		if row.target != nil {
			path = row.target(t, env, acc)
		}
		values := url.Values{}
		for _, n := range names {
			values.Set(n, poison)
		}
		for k, vs := range row.form {
			for _, v := range vs {
				values.Set(k, v+poison)
			}
		}
		var res *response
		if r.Method == http.MethodGet {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			res = c.get(path + sep + values.Encode())
		} else {
			res = c.post(path, values)
		}
		tried++
		if res.Status >= 500 {
			t.Errorf("%s as %s with NUL / invalid UTF-8 input: %d", r.Key(), acc, res.Status)
		}
	}
	if tried < 100 {
		t.Fatalf("only %d routes tried", tried)
	}
}

// TestCleanTextKeepsTextAndDropsWhatPostgreSQLRefuses: tab, newline and
// Chinese stay; NUL and other controls go; invalid bytes become U+FFFD.
func TestCleanTextKeepsTextAndDropsWhatPostgreSQLRefuses(t *testing.T) {
	for in, want := range map[string]string{
		"示例云科技":        "示例云科技",
		"a\tb\r\nc":    "a\tb\r\nc",
		"a\x00b\x07c":  "abc",
		"名\xff称":       "名\uFFFD称",
		"\x80":         "\uFFFD",
		"":             "",
		"=SUM(A1)\x00": "=SUM(A1)",
	} {
		if got := cleanText(in); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
}
