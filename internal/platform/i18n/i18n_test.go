package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCatalogLoads(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
}

// Every message exists in both languages: zh-CN first, en-US complete.
func TestCatalogsHaveTheSameKeys(t *testing.T) {
	zh, err := IDs(ZhCN)
	if err != nil {
		t.Fatal(err)
	}
	en, err := IDs(EnUS)
	if err != nil {
		t.Fatal(err)
	}
	inEn := map[string]bool{}
	for _, id := range en {
		inEn[id] = true
	}
	inZh := map[string]bool{}
	for _, id := range zh {
		inZh[id] = true
		if !inEn[id] {
			t.Errorf("%s is missing in en-US", id)
		}
	}
	for _, id := range en {
		if !inZh[id] {
			t.Errorf("%s is missing in zh-CN", id)
		}
	}
}

// Every literal key used by T/TL in Go or templ sources exists in the catalog.
func TestEveryUsedKeyExists(t *testing.T) {
	root := "../../.."
	re := regexp.MustCompile(`\b(?:T|TL|Tr|tr|msg)\((?:ctx|c|lang|[a-zA-Z.]+), "([a-z0-9_.]+)"`)
	var missing []string
	files := 0
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if p != root && d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if !(strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".templ")) || strings.HasSuffix(p, "_templ.go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		files++
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			if strings.HasSuffix(m[1], ".") || strings.HasSuffix(m[1], "_") {
				continue // a prefix the code completes ("fh.scenario."+sc)
			}
			if !Has(ZhCN, m[1]) || !Has(EnUS, m[1]) {
				missing = append(missing, p+": "+m[1])
			}
		}
		return nil
	})
	if files < 100 {
		t.Fatalf("read %d sources: the walk does not reach the repository", files)
	}
	for _, m := range missing {
		t.Error("missing message:", m)
	}
}
