package audit

import (
	"testing"
)

func ptr(s string) *string { return &s }

// The change view reads in words: field labels (an object type's own where
// it has one), state values by the owning domain's labels, times in China
// time, yes/no, lists, and an export's filter spelled out without its page.
func TestDescribeDiffLabelsFieldsAndValues(t *testing.T) {
	e := &Entry{ObjectType: "customer_report", Before: ptr(`{"status":"in_review"}`),
		After: ptr(`{"status":"protected","application_id":6,"expires_at":"2027-02-22T17:09:55.138599267Z"}`)}
	got := map[string]DiffLine{}
	for _, l := range DescribeDiff("zh-CN", e) {
		got[l.Field] = l
	}
	if l := got["status"]; l.Label != "状态" || l.Before != "人工审核中" || l.After != "保护中" || !l.Changed {
		t.Errorf("status: %+v", l)
	}
	if l := got["application_id"]; l.Label != "申请编号" || l.After != "6" {
		t.Errorf("application_id: %+v", l)
	}
	if l := got["expires_at"]; l.Label != "到期时间" || l.After != "2027-02-23 01:09:55" {
		t.Errorf("expires_at: %+v", l)
	}

	e = &Entry{ObjectType: "export", After: ptr(`{"kind":"audit_csv","format":"csv","background":false,
		"filter":{"Actor":"sp_admin","Action":"contract.terminate","ObjectType":"","Page":1,"PerPage":20,"Asc":false}}`)}
	got = map[string]DiffLine{}
	for _, l := range DescribeDiff("en-US", e) {
		got[l.Field] = l
	}
	if l := got["kind"]; l.Label != "Export" || l.After != "Audit log (csv)" {
		t.Errorf("kind: %+v", l)
	}
	if l := got["background"]; l.After != "No" {
		t.Errorf("background: %+v", l)
	}
	if l := got["filter"]; l.Label != "Filters" || l.After != "Action: Terminated contract; Actor: sp_admin" {
		t.Errorf("filter: %+v", l)
	}

	// An invoice's title is its 发票抬头; a role's permission items are
	// listed by their names.
	if got := FieldLabel("zh-CN", "invoice", "title"); got != "发票抬头" {
		t.Errorf("invoice title: %q", got)
	}
	if got := ValueText("zh-CN", "role", "items", []any{"org.audit.view", "org.audit.export"}); got != "查看操作日志、导出操作日志" {
		t.Errorf("items: %q", got)
	}
}

// The rows no signed-in user wrote are the system's.
func TestActorLabelNamesTheSystem(t *testing.T) {
	for lang, want := range map[string]string{"zh-CN": "系统", "en-US": "System"} {
		if got := ActorLabel(lang, SystemActor); got != want {
			t.Errorf("%s: %q", lang, got)
		}
		if got := ActorLabel(lang, ""); got != want {
			t.Errorf("%s empty: %q", lang, got)
		}
		if got := ActorLabel(lang, "sp_admin"); got != "sp_admin" {
			t.Errorf("%s login: %q", lang, got)
		}
	}
}
