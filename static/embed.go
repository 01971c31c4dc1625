// Package static holds the built CSS, the vendored htmx and ECharts and
// our small scripts, embedded into the binary and served under /static.
// Pages link them by Path, whose ?v= is the file's content hash: a
// fingerprinted URL may be cached for a year (web serves it immutable),
// and a new build's file has a new URL.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"strings"
)

// FS is the static folder.
//
//go:embed *.css *.js *.svg
var FS embed.FS

// versions are the files' content hashes (12 hex digits).
var versions = func() map[string]string {
	out := map[string]string{}
	_ = fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := FS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	return out
}()

// Version is a file's content hash ("" for no such file).
func Version(name string) string { return versions[strings.TrimPrefix(name, "/")] }

// Path is a file's fingerprinted URL (/static/app.css?v=…). It panics on a
// file that is not embedded, so that a typo fails every test that renders
// the page.
func Path(name string) string {
	v, ok := versions[name]
	if !ok {
		panic("static: no file " + name)
	}
	return "/static/" + name + "?v=" + v
}
