// Package static holds the built CSS, the vendored htmx and our small
// script, embedded into the binary and served under /static.
package static

import "embed"

// FS is the static folder.
//
//go:embed *.css *.js *.svg
var FS embed.FS
