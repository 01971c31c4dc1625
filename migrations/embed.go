// Package migrations holds the numbered goose SQL migrations, embedded into
// the binary. Every schema change is a new file here; nothing calls
// AutoMigrate outside tests.
package migrations

import "embed"

// FS is the embedded migrations folder.
//
//go:embed *.sql
var FS embed.FS
