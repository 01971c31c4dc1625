package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// routeFile names the file prefix that declares the routes of a URL's
// first segment (docs/ARCHITECTURE.md, "Route table by menu"): a
// newcomer goes URL → web/<menu>_*.go → internal/<domain>.
var routeFile = map[string]string{
	"":         "home",
	"healthz":  "server",
	"readyz":   "server",
	"login":    "auth",
	"logout":   "auth",
	"locale":   "auth",
	"register": "onboarding_",
	"invite":   "console_",
	"me":       "me_",
}

// TestEveryRouteIsDeclaredInItsMenusFile parses the route declarations
// (get/post calls with a literal path) of every non-test file and fails
// when a route sits in a file not named for its menu.
func TestEveryRouteIsDeclaredInItsMenusFile(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 3 {
				return true
			}
			fn, ok := call.Fun.(*ast.Ident)
			if !ok || (fn.Name != "get" && fn.Name != "post") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			path, _ := strconv.Unquote(lit.Value)
			seg := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 2)[0]
			want, ok := routeFile[seg]
			if !ok {
				want = seg + "_"
			}
			seen++
			if !strings.HasPrefix(name, want) {
				t.Errorf("%s: route %s %s belongs in web/%s*.go", fset.Position(call.Pos()), strings.ToUpper(fn.Name), path, want)
			}
			return true
		})
	}
	if seen < 100 {
		t.Fatalf("found only %d route declarations: the parser no longer recognises the route table", seen)
	}
}
