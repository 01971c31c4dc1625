// Package benchdoc writes benchmark results into docs/PERFORMANCE.md:
// each benchmark owns one "## section" and replaces it when it runs, so
// `make bench` keeps one readable document of figures (results, never
// assertions).
package benchdoc

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// File finds docs/PERFORMANCE.md from the working directory (a package
// directory when run by go test) by walking up to the module root.
func File() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "docs", "PERFORMANCE.md"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("benchdoc: no go.mod above the working directory")
		}
		dir = parent
	}
}

// WriteSection replaces (or appends) the section titled section with body
// (which should start with the "## section" line's content below it).
func WriteSection(section, body string) error {
	path, err := File()
	if err != nil {
		return err
	}
	old, _ := os.ReadFile(path)
	doc := string(old)
	if doc == "" {
		doc = "# Performance\n\nWritten by `make bench`: each section is replaced when its benchmark runs.\n\n"
	}
	head := "## " + section + "\n"
	if i := strings.Index(doc, head); i >= 0 {
		rest := doc[i+len(head):]
		if j := strings.Index(rest, "\n## "); j < 0 {
			doc = doc[:i]
		} else {
			doc = doc[:i] + rest[j+1:]
		}
	}
	if !strings.HasPrefix(body, head) {
		body = head + "\n" + strings.TrimLeft(body, "\n")
	}
	doc = strings.TrimRight(doc, "\n") + "\n\n" + strings.TrimRight(body, "\n") + "\n"
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(doc), 0o644)
}
