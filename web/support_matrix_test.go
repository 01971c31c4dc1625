package web

import (
	"fmt"
	"testing"

	"partnercenter/internal/demo"
)

// libraryDoc is the published 资料库 document of the title.
func libraryDoc(t *testing.T, env *testEnv, title string) int64 {
	t.Helper()
	var id int64
	if err := env.DB.Raw(`SELECT id FROM library_documents WHERE title = ? AND status = 'active'`, title).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("the demo library has no %s: %v", title, err)
	}
	return id
}

// 资料库: every partner account in a programme (the default item); which
// documents each partner sees is tested in support_library_test.go and
// internal/library. 资料管理: the vendor administrator; an empty form is
// refused as input (422), a status change without a state is a bad
// request.
func init() {
	doc := func(title, suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/support/library/%d%s", libraryDoc(t, env, title), suffix)
		}
	}
	const open = "2024年华为云伙伴增量激励政策"
	matrixRow("GET /support/library", matrixCase{allow: allPartner})
	for _, suffix := range []string{"", "/view", "/download"} {
		matrixRow("GET /support/library/:id"+suffix, matrixCase{target: doc(open, suffix), allow: allPartner,
			unscoped: "the vendor's documents, not a tenant's: who sees which is tested in internal/library"})
	}
	admin := []string{demo.VendorAdmin}
	manage := func(suffix string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf("/partners/library/%d%s", libraryDoc(t, env, open), suffix)
		}
	}
	matrixRow("GET /partners/library", matrixCase{allow: admin})
	matrixRow("GET /partners/library/new", matrixCase{allow: admin})
	matrixRow("POST /partners/library", matrixCase{allow: admin})
	matrixRow("GET /partners/library/:id", matrixCase{target: manage(""), allow: admin, unscoped: "the vendor administrator's documents"})
	matrixRow("POST /partners/library/:id", matrixCase{target: manage(""), allow: admin, unscoped: "the vendor administrator's documents"})
	matrixRow("POST /partners/library/:id/status", matrixCase{target: manage("/status"), allow: admin, unscoped: "the vendor administrator's documents"})
}
