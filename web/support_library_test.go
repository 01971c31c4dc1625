package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"partnercenter/internal/demo"
)

// 资料库 by programme (§14.1.2, R79): 示例云科技 (a solution provider) sees
// the policies and the CSP policy but not the software path's FTR
// template (404), which 智云软件 (software path) sees; the taken-down 2023
// policy is gone for both; a view-only document opens in the viewer
// without a download button and its download is 404 (§14.1.4); a title
// search finds by any word of it.
func TestLibraryVisibilityViewOnlyAndSearch(t *testing.T) {
	env := newEnv(t)
	sp, zy := env.as(t, demo.SPAdmin), env.as(t, demo.ZYAdmin)
	ftr := libraryDoc(t, env, "FTR基础技术审核模板")
	csp := libraryDoc(t, env, "华为云CSP伙伴激励政策")
	rules := libraryDoc(t, env, "2024年服务伙伴交付能力规则")
	var old int64
	env.DB.Raw(`SELECT id FROM library_documents WHERE title = '2023年华为云伙伴增量激励政策'`).Scan(&old)

	list := sp.get("/support/library")
	if list.Status != http.StatusOK || strings.Contains(list.Body, "FTR基础技术审核模板") || !strings.Contains(list.Body, "华为云CSP伙伴激励政策") ||
		strings.Contains(list.Body, "2023年华为云伙伴增量激励政策") {
		t.Fatalf("示例云科技's library: %d", list.Status)
	}
	if r := sp.get(fmt.Sprintf("/support/library/%d", ftr)); r.Status != http.StatusNotFound {
		t.Fatalf("another audience's document: %d", r.Status)
	}
	if r := zy.get(fmt.Sprintf("/support/library/%d", ftr)); r.Status != http.StatusOK {
		t.Fatalf("the software partner's FTR template: %d", r.Status)
	}
	if r := zy.get(fmt.Sprintf("/support/library/%d", csp)); r.Status != http.StatusNotFound {
		t.Fatalf("the CSP policy for a software partner: %d", r.Status)
	}
	if r := zy.get(fmt.Sprintf("/support/library/%d", old)); r.Status != http.StatusNotFound {
		t.Fatalf("a taken-down document: %d", r.Status)
	}
	v := sp.get(fmt.Sprintf("/support/library/%d", rules))
	if v.Status != http.StatusOK || !strings.Contains(v.Body, `data-testid="viewer-view-only"`) || strings.Contains(v.Body, `data-testid="viewer-download"`) {
		t.Fatalf("the view-only viewer: %d", v.Status)
	}
	if r := sp.get(fmt.Sprintf("/support/library/%d/download", rules)); r.Status != http.StatusNotFound {
		t.Fatalf("downloading a view-only document: %d", r.Status)
	}
	inline := sp.get(fmt.Sprintf("/support/library/%d/view", rules))
	if inline.Status != http.StatusOK || !strings.HasPrefix(inline.Header.Get("Content-Disposition"), "inline") ||
		inline.Header.Get("X-Frame-Options") != "SAMEORIGIN" || !strings.HasPrefix(inline.Body, "%PDF-") {
		t.Fatalf("the viewer's file: %d %v", inline.Status, inline.Header)
	}
	dl := sp.get(fmt.Sprintf("/support/library/%d/download", csp))
	if dl.Status != http.StatusOK || !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("a download: %d", dl.Status)
	}
	found := sp.get("/support/library?title=" + "增量%20政策")
	if !strings.Contains(found.Body, "2024年华为云伙伴增量激励政策") || strings.Contains(found.Body, "华为云CSP伙伴激励政策") {
		t.Fatal("the fuzzy title search")
	}
	dir := sp.get("/support/library?directory=" + "%E4%BC%99%E4%BC%B4%E8%AE%A1%E5%88%92") // 伙伴计划
	if !strings.Contains(dir.Body, "合作伙伴共拓计划（PCE）伙伴指南") || strings.Contains(dir.Body, "2024年华为云伙伴增量激励政策") {
		t.Fatal("the directory filter (and below)")
	}
}

// A partner account in no programme or path reads the seed's condition.
func TestLibraryNeedsAProgrammeOrPath(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.HXAdmin) // 华信数字: whitelisted for SI, not joined
	r := c.get("/support/library")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "加入合作伙伴计划或伙伴发展路径后可查看资料库") {
		t.Fatal("no condition shown")
	}
}
