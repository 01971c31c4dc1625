package web

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"partnercenter/internal/platform/i18n"
)

// Helpers shared by the label tests of 操作日志 (org_audit_labels_test.go)
// and of the application pages (applications_labels_test.go): the catalog
// ids of each language, the visible text of a page, and the words of it
// that are internals (keys, codes, JSON) rather than labels.

// catalogIDs is the set of message ids of a language.
func catalogIDs(t *testing.T, lang string) map[string]bool {
	t.Helper()
	ids, err := i18n.IDs(lang)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out
}

// visibleText is the text a reader sees on a page: every text node of the
// body (script, style and template excluded), one per line, and the
// tooltips (title attributes).
func visibleText(t *testing.T, r *response) string {
	t.Helper()
	d := r.doc(t)
	d.Find("script, style, template").Remove()
	var b strings.Builder
	d.Find("body").Find("*").AddBack().Each(func(_ int, s *goquery.Selection) {
		if title, ok := s.Attr("title"); ok {
			b.WriteString(title + "\n")
		}
		s.Contents().Each(func(_ int, c *goquery.Selection) {
			if goquery.NodeName(c) == "#text" {
				b.WriteString(c.Text() + "\n")
			}
		})
	})
	return b.String()
}

// wordRe splits text into words as internals are spelled: letters,
// digits, _ . @ / - (an e-mail address or a link stays one word).
var wordRe = regexp.MustCompile(`[A-Za-z0-9_.@/-]+`)

// catalogWords is the set of words of the messages of a language: a
// label may itself say "csv" (资金明细(csv)), which is then no internal.
func catalogWords(t *testing.T, lang string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for id := range catalogIDs(t, lang) {
		for _, w := range wordRe.FindAllString(i18n.TL(lang, id), -1) {
			out[strings.TrimRight(w, ".-/")] = true
		}
	}
	return out
}

// internalsIn lists the words of text that are internals: a word in
// forbidden that no message of the language uses, a catalog id of either
// language (an untranslated key), "system", or JSON punctuation. In
// English only keys spelled with _ or . count (a single English word may
// be a label's word).
func internalsIn(text, lang string, forbidden, ids, words map[string]bool) []string {
	var out []string
	seen := map[string]bool{}
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, w := range wordRe.FindAllString(text, -1) {
		w = strings.TrimRight(w, ".-/")
		if w == "" {
			continue
		}
		if w == "system" || ids[w] {
			add(w)
			continue
		}
		if !forbidden[w] || words[w] {
			continue
		}
		if lang == i18n.ZhCN || strings.ContainsAny(w, "_.") {
			add(w)
		}
	}
	for _, p := range []string{`{"`, `["`, `":`, `[{`, `null`} {
		if strings.Contains(text, p) {
			add(p)
		}
	}
	sort.Strings(out)
	return out
}

// codeLikeRe matches a value spelled like a code (a state, a kind, a
// permission item), not like free text, a number, a date or an address.
var codeLikeRe = regexp.MustCompile(`^[a-z][a-z0-9]*([_.][a-z0-9]+)*$`)

// jsonWalk calls fn for every value of a JSON document with its path of
// object keys (array elements share their array's path); nested keys are
// given as stored.
func jsonWalk(v any, path []string, fn func(path []string, v any)) {
	fn(path, v)
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			jsonWalk(e, append(append([]string{}, path...), k), fn)
		}
	case []any:
		for _, e := range x {
			jsonWalk(e, path, fn)
		}
	}
}

func decodeJSON(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return v
}

// goSources parses every non-test Go file of the module's internal, web
// and cmd trees and calls fn with its path (relative to the module root).
func goSources(t *testing.T, fn func(rel string, f *ast.File)) {
	t.Helper()
	fset := token.NewFileSet()
	for _, dir := range []string{"../internal", "../web", "../cmd"} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, p, nil, 0)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel("..", p)
			fn(filepath.ToSlash(rel), f)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func stringLit(e ast.Expr) (string, bool) {
	if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
		s, err := strconv.Unquote(b.Value)
		return s, err == nil
	}
	return "", false
}

func exprString(e ast.Expr) string { return types.ExprString(e) }

// setLang switches a client's language (stored on its account).
func (c *client) setLang(lang string) { c.post("/locale", url.Values{"lang": {lang}}) }
