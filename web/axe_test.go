package web

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// axe-core (npm devDependency, node_modules/axe-core) checks the pages of
// the tour for accessibility. It is read here and evaluated in the page
// under test only; the app never serves it.
var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(filepath.Join("..", "node_modules", "axe-core", "axe.min.js"))
	return string(b), err
})

// axeViolation is what the tour reports of one axe violation: the rule,
// its impact, the first element it found and how many it found.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Target string `json:"target"`
	Nodes  int    `json:"nodes"`
	// Summary is axe's failure summary of the first element (for
	// color-contrast: the colours, the font and the ratio).
	Summary string `json:"summary"`
}

// axeRun runs axe-core on the page that is open and returns its violations.
func (b *browser) axeRun() []axeViolation {
	b.t.Helper()
	src, err := axeSource()
	if err != nil {
		b.t.Fatalf("axe-core: %v (run make deps: npm ci installs node_modules/axe-core)", err)
	}
	if ok, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`)); !ok {
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[chromedp.Void](src+"\n;undefined")); err != nil {
			b.t.Fatalf("axe-core: inject: %v", err)
		}
	}
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ['violations']}).then(function(r){
		return JSON.stringify(r.violations.map(function(v){
			var n=v.nodes[0]||{};
			return {id:v.id, impact:v.impact||'', help:v.help, nodes:v.nodes.length,
				target:(n.target||[]).map(String).join(' '), summary:(n.failureSummary||'').replace(/\s+/g,' ')};
		}));
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.shot("failure")
		b.t.Fatalf("axe-core: run: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		b.t.Fatalf("axe-core: result %q: %v", out, err)
	}
	return vs
}

// axeLandmarkRules are moderate rules the tour holds like serious ones:
// every page has one <main>, all content sits in landmarks, and each
// <nav> has its own name (nav.aria.* in the catalog).
var axeLandmarkRules = map[string]bool{"landmark-one-main": true, "landmark-unique": true, "region": true}

// checkAxe fails the test on every serious or critical axe violation of
// the page that is open, and on the landmark rules (rule, impact, first
// target, what axe says); it logs the others.
func (b *browser) checkAxe(path string) {
	b.t.Helper()
	for _, v := range b.axeRun() {
		msg := v.ID + " (" + v.Impact + ", " + itoa64(int64(v.Nodes)) + " elements) at " + v.Target + ": " + v.Help
		if v.Summary != "" {
			msg += " — " + strings.TrimSpace(v.Summary)
		}
		if v.Impact == "serious" || v.Impact == "critical" || axeLandmarkRules[v.ID] {
			b.t.Errorf("%s: axe %s", path, msg)
		} else {
			b.t.Logf("%s: axe %s", path, msg)
		}
	}
}
