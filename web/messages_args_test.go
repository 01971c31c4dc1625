package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"partnercenter/internal/platform/i18n"
)

// TestTemplatedMessagesAlwaysGetTheirArguments: a catalog message with
// arguments ("账期 {{.Period}} …") shows "<no value>" when rendered
// without them. Every place in the code that names such a message must
// pass its arguments — and a field error never can (field errors are
// keys only), so none may be templated. Keys built at run time are
// checked by the page tour, which fails on "<no value>".
func TestTemplatedMessagesAlwaysGetTheirArguments(t *testing.T) {
	ids, err := i18n.IDs("zh-CN")
	if err != nil {
		t.Fatal(err)
	}
	templated := map[string]bool{}
	for _, id := range ids {
		for _, lang := range []string{"zh-CN", "en-US"} {
			if strings.Contains(i18n.TL(lang, id), "<no value>") {
				templated[id] = true
			}
		}
	}
	if len(templated) < 10 {
		t.Fatalf("only %d templated messages found: the check no longer sees them", len(templated))
	}
	lit := regexp.MustCompile(`"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"`)
	field := regexp.MustCompile(`(?:\.Add\(|FieldError\(|Fields\[[^\]]*\]\s*=\s*)[^,()]*,?\s*$`)
	// A message argument of a call: the first argument, or the one after
	// the context or the language.
	callArg := regexp.MustCompile(`(?:\(|\bctx,\s*|\blang,\s*)$`)
	def := regexp.MustCompile(`\b([A-Za-z_]\w*)\s*=\s*$`)
	type source struct{ path, src string }
	var sources []source
	for _, dir := range []string{".", "../internal", "../views"} {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, "_templ.go") ||
				!(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".templ")) {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			sources = append(sources, source{path, string(b)})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	checked := 0
	// check judges one naming of key (literal or constant) at src[start:end].
	check := func(path, src string, start, end int, key string) {
		line := strings.Count(src[:start], "\n") + 1
		before := src[strings.LastIndex(src[:start], "\n")+1 : start]
		after := strings.TrimLeft(src[end:], " \t")
		switch {
		case strings.HasPrefix(strings.TrimSpace(before), "//"):
		case field.MatchString(before):
			checked++
			t.Errorf("%s:%d: %s has arguments but is used as a field error, which cannot carry them", path, line, key)
		case callArg.MatchString(before):
			checked++
			if !strings.HasPrefix(after, ",") {
				t.Errorf("%s:%d: %s is passed without its arguments", path, line, key)
			}
		}
	}
	consts := map[string]string{} // constant name → templated key
	for _, f := range sources {
		for _, m := range lit.FindAllStringSubmatchIndex(f.src, -1) {
			key := f.src[m[2]:m[3]]
			if !templated[key] {
				continue
			}
			before := f.src[strings.LastIndex(f.src[:m[0]], "\n")+1 : m[0]]
			if d := def.FindStringSubmatch(before); d != nil {
				consts[d[1]] = key
				continue
			}
			check(f.path, f.src, m[0], m[1], key)
		}
	}
	for name, key := range consts {
		use := regexp.MustCompile(`\b` + name + `\b`)
		for _, f := range sources {
			for _, m := range use.FindAllStringIndex(f.src, -1) {
				check(f.path, f.src, m[0], m[1], key)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no use of a templated message found")
	}
}
