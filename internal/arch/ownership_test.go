package arch

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// debt lists the direct reads of another package's table that existed when
// the rule was written (issue 8) — "package → table". Each is to be
// replaced by a call to the owner (e.g. identity answers display names
// for a batch of user ids). The test fails on a new entry AND on an entry
// that is no longer needed, so this list only shrinks.
var debt = map[string]bool{
	// access is the bottom of the domain: identity, org, partner and
	// customer all import it, so it cannot call them. Its data scopes are
	// SQL fragments other packages splice into their own queries (the
	// customer-manager scope reads users.supervisor_id and associations),
	// and Load builds the principal of every request from the member's
	// roles and its tenant's identities.
	"access → associations":       true,
	"access → partner_identities": true,
	"access → user_roles":         true,
	"access → users":              true,
	// The resale-customer list (associations ⋈ customers ⋈ funded
	// balances), whose association rows a transfer share-locks so an
	// unbinding cannot end them meanwhile: customer imports funds (an
	// unbinding recovers the funded money), so funds cannot call customer.
	"funds → associations": true,
	// The vendor staff list's workload (partners looked after, open
	// reviews) and the "still responsible for partners" guard on disabling
	// an ecosystem manager: partner and approval import identity, so
	// identity cannot call them.
	"identity → applications": true,
	"identity → partners":     true,
}

var (
	writeRe = regexp.MustCompile(`(?i)\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE)\s+([a-z_]+)\b`)
	fromRe  = regexp.MustCompile(`(?i)\bFROM\s+([a-z_]+)\b`)
	tableRe = regexp.MustCompile(`\.Table\("([a-z_]+)`)
	// A gorm chain that writes: .Table("t")…​.Update/Updates/Delete/Create.
	tableWriteRe = regexp.MustCompile(`\.Table\("([a-z_]+)[^"]*"\)[^\n]*\.(?:Update|Updates|UpdateColumn|Delete|Create)\(`)
)

// exempt packages build whole worlds (demo data, test fixtures) or check
// every table at once (cmd's ledger check reads through ledger).
func exempt(pkg string) bool {
	return pkg == "demo" || strings.HasSuffix(pkg, "test") || strings.HasPrefix(pkg, "platform/dbtest") || pkg == "arch"
}

type finding struct{ pkg, table, kind, where string }

func scan(t *testing.T) []finding {
	t.Helper()
	root := filepath.Join("..")
	var out []finding
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		pkg := filepath.ToSlash(filepath.Dir(rel))
		if exempt(pkg) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		// Comments may name tables; only code counts.
		lines := strings.Split(string(b), "\n")
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), "//") {
				lines[i] = ""
			}
		}
		src := strings.Join(lines, "\n")
		add := func(re *regexp.Regexp, kind string) {
			for _, m := range re.FindAllStringSubmatchIndex(src, -1) {
				table := strings.ToLower(src[m[2]:m[3]])
				owner, known := Owners[table]
				if !known || owner == pkg {
					continue
				}
				line := strings.Count(src[:m[0]], "\n") + 1
				out = append(out, finding{pkg, table, kind, filepath.ToSlash(rel) + ":" + itoa(line)})
			}
		}
		add(writeRe, "writes")
		add(tableWriteRe, "writes")
		add(fromRe, "selects from")
		add(tableRe, "selects from")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func itoa(n int) string {
	s := ""
	for n >= 10 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return string(rune('0'+n)) + s
}

// TestEveryTableIsWrittenOnlyByItsOwner: a package that inserts, updates,
// deletes or truncates another package's table fails, whatever the debt.
func TestEveryTableIsWrittenOnlyByItsOwner(t *testing.T) {
	for _, f := range scan(t) {
		if f.kind == "writes" {
			t.Errorf("%s: package %s writes %s, owned by %s: call the owner instead", f.where, f.pkg, f.table, Owners[f.table])
		}
	}
}

// TestNoPackageSelectsFromAnotherPackagesTable: direct reads of another
// package's table are refused beyond the recorded debt; a JOIN in a
// report query is allowed.
func TestNoPackageSelectsFromAnotherPackagesTable(t *testing.T) {
	seen := map[string][]string{}
	for _, f := range scan(t) {
		if f.kind != "writes" {
			k := f.pkg + " → " + f.table
			seen[k] = append(seen[k], f.where)
		}
	}
	var keys []string
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !debt[k] {
			t.Errorf("%s (%s): read it through its owner's package", k, strings.Join(seen[k], ", "))
		}
	}
	for k := range debt {
		if seen[k] == nil {
			t.Errorf("debt %q is paid: remove it from the list", k)
		}
	}
}

// TestEveryTableHasAnOwner: a migration that creates a table names its
// owner in Owners.
func TestEveryTableHasAnOwner(t *testing.T) {
	files, err := filepath.Glob("../../migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations: %v %d", err, len(files))
	}
	create := regexp.MustCompile(`(?i)CREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_]+)`)
	drop := regexp.MustCompile(`(?i)DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?([a-z_]+)`)
	live := map[string]bool{}
	sort.Strings(files)
	for _, f := range files {
		b, _ := os.ReadFile(f)
		up := strings.SplitN(string(b), "-- +goose Down", 2)[0]
		for _, m := range create.FindAllStringSubmatch(up, -1) {
			live[strings.ToLower(m[1])] = true
		}
		for _, m := range drop.FindAllStringSubmatch(up, -1) {
			delete(live, strings.ToLower(m[1]))
		}
	}
	for table := range live {
		if _, ok := Owners[table]; !ok {
			t.Errorf("table %s has no owner in arch.Owners", table)
		}
	}
}

// TestOnlySheetUsesExcelize: spreadsheets are written and read in one
// package (internal/platform/sheet); tests may read files back with it.
func TestOnlySheetUsesExcelize(t *testing.T) {
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != "../.." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), `"github.com/xuri/excelize/v2"`) && filepath.ToSlash(filepath.Dir(path)) != "../../internal/platform/sheet" {
			t.Errorf("%s imports excelize: use internal/platform/sheet", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
