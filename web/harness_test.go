package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"partnercenter/internal/demo"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/config"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// testEnv is one running server on the package's fresh database with the
// demo world loaded.
type testEnv struct {
	DB    *gorm.DB
	App   *App
	Srv   *httptest.Server
	World *demo.World
	// Requests has the query count of every request the server logged.
	Requests *requestLog
}

var (
	envOnce sync.Once
	env     *testEnv
	envErr  error
)

// newEnv returns the package's shared server (demo data loaded once).
func newEnv(t testing.TB) *testEnv {
	t.Helper()
	envOnce.Do(func() {
		g := dbtest.DB(t)
		w, err := demo.Seed(context.Background(), g)
		if err != nil {
			envErr = err
			return
		}
		cfg := config.FromEnv()
		cfg.WebhookAllowPrivate = true // the journey's endpoint is a TLS test server on 127.0.0.1
		rl := newRequestLog(slog.NewTextHandler(testLogOut(), nil))
		app, e, err := New(g, cfg, clock.System{}, slog.New(rl))
		if err != nil {
			envErr = err
			return
		}
		env = &testEnv{DB: g, App: app, Srv: httptest.NewServer(e), World: w, Requests: rl}
	})
	if envErr != nil {
		t.Fatal(envErr)
	}
	return env
}

// client is a browser-like HTTP client without Sec-Fetch headers: a raw
// client, so CSRF protection is tested for real.
type client struct {
	t    testing.TB
	env  *testEnv
	http *http.Client
	csrf string
}

func (e *testEnv) client(t testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, env: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// response is a fetched page.
type response struct {
	Status   int
	Header   http.Header
	Body     string
	Location string
	// RequestID is the server's id of the request (X-Request-ID).
	RequestID string
}

func (r *response) doc(t testing.TB) *goquery.Document {
	d, err := goquery.NewDocumentFromReader(strings.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &response{Status: res.StatusCode, Header: res.Header, Body: string(b), Location: res.Header.Get("Location"),
		RequestID: res.Header.Get("X-Request-ID")}
	if d, err := goquery.NewDocumentFromReader(strings.NewReader(r.Body)); err == nil {
		if tok, ok := d.Find(`input[name="_csrf"]`).First().Attr("value"); ok && tok != "" {
			c.csrf = tok
		}
	}
	return r
}

// get fetches a path.
func (c *client) get(path string) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.env.Srv.URL+path, nil)
	return c.do(req)
}

// htmx fetches a path as htmx would.
func (c *client) htmx(method, path string, form url.Values) *response {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.env.Srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	return c.do(req)
}

// post submits a form with the CSRF token of the last page fetched.
func (c *client) post(path string, form url.Values) *response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" && c.csrf != "" {
		form.Set("_csrf", c.csrf)
	}
	return c.postRaw(path, form)
}

// postRaw submits a form exactly as given (no token added).
func (c *client) postRaw(path string, form url.Values) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.env.Srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// login signs in as a demo account and fails the test otherwise.
func (c *client) login(loginName string) *client {
	c.t.Helper()
	c.get("/login")
	r := c.post("/login", url.Values{"login_name": {loginName}, "password": {demo.DemoPassword}})
	if r.Status != http.StatusSeeOther {
		c.t.Fatalf("login %s: status %d", loginName, r.Status)
	}
	// Refresh the CSRF token from a signed-in page (a customer's / is a
	// redirect to its console).
	if r := c.get("/"); r.Status == http.StatusSeeOther {
		c.get(r.Location)
	}
	return c
}

// as returns a signed-in client for a demo account.
func (e *testEnv) as(t testing.TB, loginName string) *client {
	return e.client(t).login(loginName)
}

func (c *client) sessionCookie() string {
	u, _ := url.Parse(c.env.Srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == c.env.App.Sessions.CookieName() {
			return ck.Value
		}
	}
	return ""
}

// countRows counts rows of a table (for "changes nothing" assertions).
func (e *testEnv) countRows(t testing.TB, table string) int64 {
	var n int64
	if err := e.DB.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// testLogOut sends server logs to stderr when TEST_LOG=1.
func testLogOut() io.Writer {
	if os.Getenv("TEST_LOG") == "1" {
		return os.Stderr
	}
	return io.Discard
}

// requestLog passes log records through and keeps, from each "request"
// line, the number of SQL statements the request ran, by request id.
type requestLog struct {
	slog.Handler
	counts *queryCounts
}

type queryCounts struct {
	mu sync.Mutex
	m  map[string]chan int64
}

func newRequestLog(h slog.Handler) *requestLog {
	return &requestLog{Handler: h, counts: &queryCounts{m: map[string]chan int64{}}}
}

func (q *queryCounts) ch(id string) chan int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	c, ok := q.m[id]
	if !ok {
		c = make(chan int64, 1)
		q.m[id] = c
	}
	return c
}

func (h *requestLog) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "request" {
		var id string
		var n int64 = -1
		r.Attrs(func(a slog.Attr) bool {
			switch a.Key {
			case "request_id":
				id = a.Value.String()
			case "queries":
				n = a.Value.Int64()
			}
			return true
		})
		if id != "" {
			select {
			case h.counts.ch(id) <- n:
			default:
			}
		}
	}
	if !h.Handler.Enabled(ctx, r.Level) {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

// Enabled takes every level: a probe's request line is logged at debug,
// and its query count is read all the same; Handle passes on only what the
// wrapped handler takes.
func (h *requestLog) Enabled(context.Context, slog.Level) bool { return true }

func (h *requestLog) WithAttrs(as []slog.Attr) slog.Handler {
	return &requestLog{Handler: h.Handler.WithAttrs(as), counts: h.counts}
}

func (h *requestLog) WithGroup(name string) slog.Handler {
	return &requestLog{Handler: h.Handler.WithGroup(name), counts: h.counts}
}

// queries is the number of SQL statements the server ran for r, from its
// request log line (written once the handler returns: this waits for it).
func (e *testEnv) queries(t testing.TB, r *response) int64 {
	t.Helper()
	if r.RequestID == "" {
		t.Fatal("response without X-Request-ID")
	}
	c := e.Requests.counts.ch(r.RequestID)
	select {
	case n := <-c:
		e.Requests.counts.mu.Lock()
		delete(e.Requests.counts.m, r.RequestID)
		e.Requests.counts.mu.Unlock()
		return n
	case <-time.After(10 * time.Second):
		t.Fatalf("no request log line for %s", r.RequestID)
		return 0
	}
}
