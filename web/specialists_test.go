package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/demo"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/clock"
)

var personSeq atomic.Int64

// newPerson signs up a personal account through /me/register and returns
// its signed-in client and login name.
func newPerson(t *testing.T, env *testEnv, email bool) (*client, string) {
	t.Helper()
	n := personSeq.Add(1)
	login := fmt.Sprintf("wp%d_%d", time.Now().UnixNano()%1e6, n)
	c := env.client(t)
	c.get("/me/register")
	form := url.Values{"login_name": {login}, "name": {"测试员工"}, "password": {demo.DemoPassword}, "password_confirm": {demo.DemoPassword},
		"site": {people.SiteChina}, "real_name": {people.RealNamePersonal}, "mobile": {fmt.Sprintf("155%08d", time.Now().UnixNano()%1e8)}}
	if email {
		form.Set("email", login+"@example.cn")
	}
	if r := c.post("/me/register", form); r.Status != http.StatusSeeOther || r.Location != "/me" {
		t.Fatalf("sign-up: %d %q", r.Status, r.Location)
	}
	if r := c.get("/me"); r.Status != http.StatusOK {
		t.Fatalf("the personal console after sign-up: %d", r.Status)
	}
	return c, login
}

// The refusals of 组织 > 项目专员 in the seeds' words, through the pages:
// 未查询到账号信息 with the three hints (§7.2.4), the failed checks
// (§7.2.3), a person linked and made a project specialist whose unlinking
// is refused (§7.2.2) and whose second path is refused (§7.2.9); an
// invitation accepted after its 7 days (§7.2.5); a member without a role
// may not open the page.
func TestSpecialistPagesRefuseInTheSeedsWords(t *testing.T) {
	env := newEnv(t)
	zy := env.as(t, demo.ZYAdmin)
	zy.get("/org/specialists/invitations")
	r := zy.post("/org/specialists/invite", url.Values{"tenant_name": {demo.PersonGlobal}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "未查询到账号信息") ||
		!strings.Contains(r.Body, "各站点账号是独立管理的") || !strings.Contains(r.Body, "不允许邀请企业账号或者IAM子账号") {
		t.Fatalf("another site: %d", r.Status)
	}
	r = zy.post("/org/specialists/invite", url.Values{"tenant_name": {demo.PersonQiye}})
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, `data-passed="false"`) || !strings.Contains(r.Body, "个人华为账号未实名认证为企业用户") {
		t.Fatalf("an enterprise-verified account: %d", r.Status)
	}

	pc, login := newPerson(t, env, true)
	if r := zy.post("/org/specialists/invite", url.Values{"tenant_name": {login}}); r.Status != http.StatusSeeOther {
		t.Fatalf("invite: %d", r.Status)
	}
	var invID, personID int64
	env.DB.Raw(`SELECT i.id, i.person_id FROM specialist_invitations i JOIN users u ON u.id = i.person_id WHERE u.login_name = ?`, login).Row().Scan(&invID, &personID)
	if r := pc.get("/me"); !strings.Contains(r.Body, "智云软件有限公司") || !strings.Contains(r.Body, `data-testid="me-invitation-left"`) {
		t.Fatal("the person does not see the invitation with its time left")
	}
	if r := pc.post(fmt.Sprintf("/me/invitations/%d/accept", invID), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d", r.Status)
	}
	var linkID int64
	env.DB.Raw(`SELECT id FROM specialist_links WHERE person_id = ? AND unlinked_at IS NULL`, personID).Scan(&linkID)
	zy.get(fmt.Sprintf("/org/specialists/people/%d", personID))
	apply := fmt.Sprintf("/org/specialists/links/%d/apply", linkID)
	if r := zy.postMultipart(apply, url.Values{}, "", "", nil); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "在职证明") {
		t.Fatalf("without material: %d", r.Status)
	}
	if r := zy.postMultipart(apply, url.Values{"note": {"架构师"}}, "files", "在职证明.pdf", []byte("%PDF-1.4\n%%EOF\n")); r.Status != http.StatusSeeOther {
		t.Fatalf("apply: %d", r.Status)
	}
	r = zy.postMultipart(apply, url.Values{}, "files", "在职证明.pdf", []byte("%PDF-1.4\n%%EOF\n"))
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "一个成员仅支持申请成为一个合作伙伴发展路径的项目专员") {
		t.Fatalf("a second path: %d", r.Status)
	}
	r = zy.post(fmt.Sprintf("/org/specialists/links/%d/unlink", linkID), nil)
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "如果员工个人已成为项目专员，则需管理员先取消项目专员后再解绑") {
		t.Fatalf("unlinking a specialist: %d", r.Status)
	}
	// Another tenant's admin: 404.
	sp := env.as(t, demo.SPAdmin)
	if r := sp.get(fmt.Sprintf("/org/specialists/people/%d", personID)); r.Status != http.StatusNotFound {
		t.Fatalf("another tenant reads the person: %d", r.Status)
	}

	// An invitation eight days old.
	late, lateLogin := newPerson(t, env, true)
	zyp := access.Member(env.World.Users[demo.ZYAdmin], 0, true)
	env.DB.Raw(`SELECT partner_id FROM users WHERE id = ?`, zyp.UserID).Scan(&zyp.PartnerID)
	old := people.Service{DB: env.DB, Clock: clock.NewFixed(time.Now().Add(-8 * 24 * time.Hour))}
	inv, err := old.Invite(context.Background(), zyp, lateLogin)
	if err != nil {
		t.Fatal(err)
	}
	r = late.post(fmt.Sprintf("/me/invitations/%d/accept", inv.ID), nil)
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "邀请链接有效期为7天，若成员在7天内未进行关联，该链接将失效，管理员可以重新发起邀请") {
		t.Fatalf("accepting after 7 days: %d", r.Status)
	}
	if r := zy.get("/org/specialists/invitations?status=expired&q=" + lateLogin); !strings.Contains(r.Body, `data-status="expired"`) ||
		!strings.Contains(r.Body, `data-testid="reinvite"`) {
		t.Fatal("the expired invitation is not listed with 重新邀请")
	}
	if r := zy.post("/org/specialists/invite", url.Values{"tenant_name": {lateLogin}}); r.Status != http.StatusSeeOther {
		t.Fatalf("re-invite: %d", r.Status)
	}
	if r := env.as(t, demo.SPViewer).get("/org/specialists"); r.Status != http.StatusForbidden {
		t.Fatalf("a member without the item: %d", r.Status)
	}
}

// 忘记密码 of a personal account: its tenant name alone (the personal tab),
// a code to its bound e-mail through the outbox.
func TestPersonalAccountForgotPassword(t *testing.T) {
	env := newEnv(t)
	_, login := newPerson(t, env, true)
	c := env.client(t)
	if r := c.get("/login/forgot?personal=1"); !strings.Contains(r.Body, `name="personal"`) || strings.Contains(r.Body, `name="main_login"`) {
		t.Fatal("the personal form")
	}
	r := c.post("/login/forgot", url.Values{"personal": {"1"}, "who": {login}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login/reset/") {
		t.Fatalf("request: %d %q", r.Status, r.Location)
	}
	var n int64
	env.DB.Raw(`SELECT count(*) FROM password_resets pr JOIN users u ON u.id = pr.user_id WHERE u.login_name = ?`, login).Scan(&n)
	if n != 1 {
		t.Fatalf("resets for the person: %d", n)
	}
	env.DB.Raw(`SELECT count(*) FROM outbox_messages WHERE recipient = ? AND template LIKE 'recovery.%'`, login+"@example.cn").Scan(&n)
	if n != 1 {
		t.Fatalf("codes sent to the bound e-mail: %d", n)
	}
}
