package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"partnercenter/internal/demo"
)

// 消息接收设置 (§6.1.1): a member turns SMS off and reads e-mail in English,
// London time; a bad language is refused in the page and changes nothing;
// a test message is queued on the e-mail channel only, in English, and
// once the dispatcher ran it shows as sent in the member's log.
func TestMessageSettingsChooseChannelsLanguageAndZone(t *testing.T) {
	env := newEnv(t)
	c := env.as(t, demo.SPViewer)
	uid := env.World.Users[demo.SPViewer]
	if err := env.DB.Exec(`UPDATE users SET email = COALESCE(email, 'sp_viewer@example.cn'), mobile = '13700000042' WHERE id = ?`, uid).Error; err != nil {
		t.Fatal(err)
	}
	if r := c.get("/profile/messages"); r.Status != http.StatusOK || !strings.Contains(r.Body, `data-testid="setting-sms"`) {
		t.Fatalf("the page: %d", r.Status)
	}
	form := url.Values{"sms_lang": {"fr"}, "sms_tz": {"Asia/Shanghai"}, "email_enabled": {"on"}, "email_lang": {"en-US"},
		"email_tz": {"Europe/London"}, "inbox_lang": {"en-US"}, "inbox_tz": {"UTC"}}
	r := c.post("/profile/messages", form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "请选择语言") {
		t.Fatalf("a bad language: %d", r.Status)
	}
	var n int64
	env.DB.Raw(`SELECT count(*) FROM message_settings WHERE user_id = ?`, uid).Scan(&n)
	if n != 0 {
		t.Fatal("a refused form saved settings")
	}
	form.Set("sms_lang", "zh-CN")
	if r := c.post("/profile/messages", form); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d", r.Status)
	}
	var smsOn bool
	env.DB.Raw(`SELECT enabled FROM message_settings WHERE user_id = ? AND channel = 'sms'`, uid).Scan(&smsOn)
	if smsOn {
		t.Fatal("SMS is still on")
	}
	var before int64 // other tests (the matrix) may have sent this account test messages
	env.DB.Raw(`SELECT coalesce(max(id), 0) FROM outbox_messages`).Scan(&before)
	if r := c.post("/profile/messages/test", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("test message: %d", r.Status)
	}
	var rows []struct {
		Channel, Lang, TimeZone string
	}
	env.DB.Raw(`SELECT channel, lang, time_zone FROM outbox_messages WHERE user_id = ? AND template = 'outbox.test' AND id > ?`, uid, before).Scan(&rows)
	if len(rows) != 1 || rows[0].Channel != "email" || rows[0].Lang != "en-US" || rows[0].TimeZone != "Europe/London" {
		t.Fatalf("queued %+v", rows)
	}
	if _, _, err := env.App.Dispatcher().Dispatch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := c.get("/profile/messages"); !strings.Contains(r.Body, `data-testid="log-row" data-status="sent" data-channel="email"`) {
		t.Fatal("the member's log does not show the sent e-mail")
	}
	// 站内信 read in the inbox's language and zone (English, UTC) while the
	// console stays in Chinese.
	if err := env.DB.Exec(`INSERT INTO messages (user_id, subject_key, body_key, params) VALUES (?, 'opportunity.msg.ho_shared.subject',
		'opportunity.msg.ho_shared.body', '{"No": "HO-20290304-0001", "Customer": "测试客户", "DueAt": "2029-03-04T15:59:59Z"}')`, uid).Error; err != nil {
		t.Fatal(err)
	}
	inbox := c.get("/messages")
	if !strings.Contains(inbox.Body, "Huawei Cloud shared an opportunity with you") || !strings.Contains(inbox.Body, "2029-03-04 15:59 UTC") ||
		!strings.Contains(inbox.Body, "站内信") {
		t.Fatal("the message is not in English and UTC, or the console left Chinese")
	}
}
