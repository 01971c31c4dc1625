package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"partnercenter/internal/demo"
)

// Browser journeys in headless Chromium (chromedp). They need
// /usr/bin/chromium (installed by .ci/run); screenshots go to
// testdata/screenshots (ignored by git).

const chromiumPath = "/usr/bin/chromium"

type browser struct {
	t   *testing.T
	ctx context.Context
	env *testEnv

	mu      sync.Mutex
	dialogs []string // JavaScript dialogs that opened (each fails the test)
}

// newBrowser starts a fresh headless Chromium (own profile, so own cookies).
func newBrowser(t *testing.T, env *testEnv) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("browser journeys need Chromium at %s (apt-get install chromium; .ci/run does it)", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath), chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1366, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 180*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	// Start the browser on the long-lived context: chromedp binds the
	// browser's life to the context of the first action.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, ctx: ctx, env: env}
	// The app asks in its own <dialog> (components.ConfirmDialog), never
	// with alert(), confirm() or prompt(): a JavaScript dialog fails the
	// test. It is dismissed so the page goes on, and do() and the cleanup
	// report it.
	t.Cleanup(func() {
		if d := b.jsDialogs(); len(d) > 0 {
			t.Errorf("JavaScript dialogs opened: %q", d)
		}
	})
	opened := make(chan string, 8)
	if err := chromedp.Listen(ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			select {
			case opened <- d.Message:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case msg := <-opened:
				b.mu.Lock()
				b.dialogs = append(b.dialogs, msg)
				b.mu.Unlock()
				_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			}
		}
	}()
	return b
}

// do runs steps, each group within 20 s so a failure still leaves time
// for a screenshot.
func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.shot("failure")
		b.t.Fatal(err)
	}
	if d := b.jsDialogs(); len(d) > 0 {
		b.shot("failure")
		b.t.Fatalf("a JavaScript dialog opened (the app asks in components.ConfirmDialog): %q", d)
	}
}

// jsDialogs are the messages of the JavaScript dialogs that opened.
func (b *browser) jsDialogs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.dialogs...)
}

// openDialog is the confirmation dialog that is open.
const openDialog = `dialog[open][data-testid="confirm-dialog"]`

// confirmDialog waits for the confirmation dialog and returns its text
// (title, message, restated lines).
func (b *browser) confirmDialog() string {
	b.t.Helper()
	b.waitVisible(openDialog)
	return b.text(openDialog)
}

// acceptDialog clicks the open confirmation dialog's confirm button.
func (b *browser) acceptDialog() {
	b.t.Helper()
	b.click(openDialog + ` [data-testid="confirm-accept"]`)
}

// cancelDialog clicks the open confirmation dialog's cancel button and
// waits until it has closed.
func (b *browser) cancelDialog() {
	b.t.Helper()
	b.click(openDialog + ` [data-testid="confirm-cancel"]`)
	b.waitGone(openDialog)
}

// waitGone waits until no element matches sel.
func (b *browser) waitGone(sel string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if !b.has(sel) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.shot("failure")
	b.t.Fatalf("%s is still there", sel)
}

func (b *browser) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.env.Srv.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
}

// text returns the element's visible text. It reads it with one script
// and retries while the element is missing, so a page that is still being
// replaced after a click does not fail the read.
func (b *browser) text(sel string) string {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	script := "(function(){var e=document.querySelector(" + jsString(sel) + ");return e?e.innerText:null})()"
	var lastErr error
	for time.Now().Before(deadline) {
		s, err := chromedp.Run(b.ctx, chromedp.Evaluate[*string](script))
		if err == nil && s != nil {
			return *s
		}
		lastErr = err
		time.Sleep(100 * time.Millisecond)
	}
	b.shot("failure")
	b.t.Fatalf("text of %s: not found (%v)", sel, lastErr)
	return ""
}

func (b *browser) location() string {
	s, _ := chromedp.Run(b.ctx, chromedp.Location())
	return s
}

// has reports whether an element matching sel exists right now.
func (b *browser) has(sel string) bool {
	b.t.Helper()
	ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool]("document.querySelector("+jsString(sel)+") !== null"))
	if err != nil {
		b.t.Fatal(err)
	}
	return ok
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// fill types into a field after clearing it.
func (b *browser) fill(sel, value string) {
	b.t.Helper()
	b.do(chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), value))
}

// click clicks and waits for the next page's body.
func (b *browser) click(sel string) {
	b.t.Helper()
	b.do(chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
}

// waitText waits until the element's text is want (pages load after a
// click, so the old page may still be showing).
func (b *browser) waitText(sel, want string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	got := ""
	for time.Now().Before(deadline) {
		got, _ = chromedp.Run(b.ctx, chromedp.Evaluate[string]("(function(){var e=document.querySelector("+jsString(sel)+");return e?e.innerText.trim():''})()"))
		if got == want {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.shot("failure")
	b.t.Fatalf("text of %s: got %q, want %q", sel, got, want)
}

// waitPath waits until the browser shows a page whose path starts with prefix.
func (b *browser) waitPath(prefix string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if strings.HasPrefix(strings.TrimPrefix(b.location(), b.env.Srv.URL), prefix) {
			b.do(chromedp.WaitReady(chromedp.CSS("body")))
			b.waitSettled()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.shot("failure")
	b.t.Fatalf("location %s, want a path starting with %s", b.location(), prefix)
}

// waitSettled waits until no htmx request, swap or settle is under way.
// htmx pushes the URL before it swaps, so a path that changed does not
// yet mean the new table is there: an element of the old one can still
// be found, clicked, and replaced under the next step (a details menu
// opened on the old row is closed in the new one).
func (b *browser) waitSettled() {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if b.eval(`document.querySelector(".htmx-request,.htmx-swapping,.htmx-settling,.htmx-added")?"busy":""`) == "" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.shot("failure")
	b.t.Fatal("htmx did not settle within 20 s")
}

func (b *browser) waitVisible(sel string) {
	b.t.Helper()
	b.do(chromedp.WaitVisible(chromedp.CSS(sel)))
}

// shot saves a PNG screenshot under testdata/screenshots.
func (b *browser) shot(name string) {
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return
	}
	dir := filepath.Join("..", "testdata", "screenshots")
	_ = os.MkdirAll(dir, 0o755)
	_ = os.WriteFile(filepath.Join(dir, strings.ReplaceAll(b.t.Name(), "/", "_")+"-"+name+".png"), png, 0o644)
}

// login signs in through the form.
func (b *browser) login(loginName, password string) {
	b.t.Helper()
	b.open("/login")
	b.fill("#login_name", loginName)
	b.fill("#password", password)
	b.click(`[data-testid="login-submit"]`)
	b.waitVisible(`[data-testid="top-nav"]`)
}

func (b *browser) logout() {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="user-menu"]').setAttribute('open', '')`))
	b.click(`[data-testid="logout"]`)
	b.waitVisible(`[data-testid="signed-out"]`)
}

func TestBrowserSignInLanguageSwitchIsRememberedPerUser(t *testing.T) {
	env := newEnv(t)
	t.Cleanup(func() { env.DB.Exec("UPDATE users SET locale = 'zh-CN' WHERE login_name = ?", demo.SPViewer) })
	b := newBrowser(t, env)
	b.login(demo.SPViewer, demo.DemoPassword)
	b.waitText(`[data-testid="menu-home"]`, "首页")
	b.click(`[data-testid="lang-switch"]`)
	b.waitText(`[data-testid="menu-home"]`, "Home")
	b.shot("english")
	b.logout()
	// A new browser (no language cookie) signs in: the choice was stored on the user.
	b2 := newBrowser(t, env)
	b2.login(demo.SPViewer, demo.DemoPassword)
	b2.waitText(`[data-testid="menu-home"]`, "Home")
}
