package components

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"partnercenter/internal/platform/i18n"
)

func render(t *testing.T, lang string, c Confirm) *goquery.Selection {
	t.Helper()
	var buf bytes.Buffer
	ctx := i18n.WithLang(context.Background(), lang)
	if err := ConfirmSubmit(c, BtnDanger, "驳回", nil).Render(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Selection
}

func TestConfirmDialogMarkup(t *testing.T) {
	doc := render(t, i18n.ZhCN, Confirm{
		ID: "payout-reject-7", Title: "驳回提现", Message: "确认驳回该笔 ¥10.00 的提现？",
		Lines: []ConfirmLine{
			{Label: "伙伴", Value: "示例云科技"},
			{Label: "提现金额", Field: "amount", Money: true, Value: "-"},
		},
		Reason: &ConfirmReason{Name: "reason", Label: "驳回原因", Required: true, Max: 500},
		Accept: "驳回", Danger: true,
	})
	open := doc.Find(`button[type="submit"][data-confirm-open="payout-reject-7"]`)
	if open.Length() != 1 || strings.TrimSpace(open.Text()) != "驳回" {
		t.Fatal("the form's button opens the dialog")
	}
	d := doc.Find(`dialog#payout-reject-7[data-confirm-dialog][data-testid="confirm-dialog"]`)
	if d.Length() != 1 {
		t.Fatal("no dialog")
	}
	if _, ok := d.Attr("data-autoshow"); ok {
		t.Error("the dialog opens only when asked")
	}
	title, _ := d.Attr("aria-labelledby")
	if d.Find("#"+title).Text() != "驳回提现" {
		t.Errorf("aria-labelledby %q names the title", title)
	}
	desc, _ := d.Attr("aria-describedby")
	if !strings.Contains(d.Find("#"+desc).Text(), "¥10.00") {
		t.Errorf("aria-describedby %q names the message", desc)
	}
	lines := d.Find(`[data-testid="confirm-line"]`)
	if lines.Length() != 2 || lines.First().Text() != "示例云科技" {
		t.Errorf("lines: %d %q", lines.Length(), lines.First().Text())
	}
	if f, _ := lines.Last().Attr("data-confirm-field"); f != "amount" {
		t.Errorf("the amount line shows the form's field: %q", f)
	}
	if _, ok := lines.First().Attr("data-confirm-field"); ok {
		t.Error("a fixed line names no field")
	}
	r := d.Find(`textarea[name="reason"][data-confirm-reason]`)
	if r.Length() != 1 {
		t.Fatal("no reason field")
	}
	for attr, want := range map[string]string{"maxlength": "500", "data-max": "500", "aria-required": "true",
		"aria-describedby": "payout-reject-7-reason-error", "id": "payout-reject-7-reason"} {
		if got, _ := r.Attr(attr); got != want {
			t.Errorf("reason %s=%q, want %q", attr, got, want)
		}
	}
	if _, ok := r.Attr("required"); ok {
		t.Error("the reason is checked by the dialog, not by the browser's own message")
	}
	if _, ok := r.Attr("autofocus"); !ok {
		t.Error("focus on the reason")
	}
	if d.Find(`label[for="payout-reject-7-reason"]`).Length() != 1 {
		t.Error("the reason has its label")
	}
	e := d.Find(`#payout-reject-7-reason-error[data-confirm-error]`)
	if _, hidden := e.Attr("hidden"); !hidden {
		t.Error("no message before the reason is checked")
	}
	if got, _ := e.Attr("data-msg-required"); got != "请填写驳回原因" {
		t.Errorf("required message %q", got)
	}
	if got, _ := e.Attr("data-msg-max"); got != "驳回原因不能超过 500 个字" {
		t.Errorf("too long message %q", got)
	}
	accept := d.Find(`button[type="submit"][data-confirm-accept][data-testid="confirm-accept"]`)
	if accept.Length() != 1 || strings.TrimSpace(accept.Text()) != "驳回" {
		t.Error("the confirm button")
	}
	if _, ok := accept.Attr("autofocus"); ok {
		t.Error("focus goes to the reason, not the confirm button")
	}
	cancel := d.Find(`button[type="button"][data-dialog-close][data-testid="confirm-cancel"]`)
	if strings.TrimSpace(cancel.Text()) != "取消" {
		t.Errorf("cancel %q", cancel.Text())
	}
}

func TestConfirmDialogWithoutReasonFocusesConfirm(t *testing.T) {
	doc := render(t, i18n.EnUS, Confirm{ID: "x", Title: "Delete role"})
	accept := doc.Find(`[data-testid="confirm-accept"]`)
	if _, ok := accept.Attr("autofocus"); !ok {
		t.Error("focus on the confirm button")
	}
	if strings.TrimSpace(accept.Text()) != "Confirm" || strings.TrimSpace(doc.Find(`[data-testid="confirm-cancel"]`).Text()) != "Cancel" {
		t.Error("default labels in the user's language")
	}
	if _, ok := doc.Find("dialog").Attr("aria-describedby"); ok {
		t.Error("no message, no aria-describedby")
	}
}

func TestConfirmDialogShowsTheServersRefusal(t *testing.T) {
	doc := render(t, i18n.EnUS, Confirm{ID: "r", Title: "Reject", Open: true,
		Reason: &ConfirmReason{Name: "reason", Label: "Reason", Value: "x", Required: true, Err: "confirm.cancel"}})
	if _, ok := doc.Find("dialog").Attr("data-autoshow"); !ok {
		t.Error("the dialog opens with the page")
	}
	e := doc.Find(`[data-confirm-error]`)
	if _, hidden := e.Attr("hidden"); hidden || strings.TrimSpace(e.Text()) != "Cancel" {
		t.Errorf("the server's message shows: %q", e.Text())
	}
	if got, _ := doc.Find("textarea").Attr("aria-invalid"); got != "true" {
		t.Error("the field is marked invalid")
	}
}

// No page asks with the browser's confirm(): forms carry a ConfirmDialog,
// and static/app.js opens it.
func TestNoBrowserConfirm(t *testing.T) {
	js, err := os.ReadFile(filepath.Join("..", "..", "static", "app.js"))
	if err != nil {
		t.Fatal(err)
	}
	if regexp.MustCompile(`\b(confirm|alert|prompt)\s*\(`).Match(js) {
		t.Error("static/app.js calls confirm(), alert() or prompt()")
	}
	old := regexp.MustCompile(`\bdata-confirm=`)
	err = filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".templ") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if old.Match(data) {
			t.Errorf("%s: data-confirm= (use components.ConfirmSubmit)", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
