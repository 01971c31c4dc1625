package i18n

import (
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// A message id is defined once per language: a second definition in
// another area's file would silently replace the first (go-i18n keeps the
// last file read).
func TestEveryMessageIsDefinedOnce(t *testing.T) {
	entries, err := fs.Glob(files, "locales/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{} // lang/id → file
	for _, e := range entries {
		data, err := files.ReadFile(e)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := toml.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", e, err)
		}
		base := path.Base(e)
		lang := strings.TrimSuffix(base[strings.Index(base, ".")+1:], ".toml")
		for id := range m {
			if prev, dup := seen[lang+"/"+id]; dup {
				t.Errorf("%s: %q is also defined in %s", base, id, prev)
			}
			seen[lang+"/"+id] = base
		}
	}
}
