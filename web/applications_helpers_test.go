package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/demo"
	"partnercenter/internal/files"
	"partnercenter/internal/notify"
	"partnercenter/internal/partner"
)

// probeType is an application type for tests: manual review, no hooks, so
// approving or withdrawing it changes no partner data.
type probeType struct{ approval.Base }

func (probeType) Key() string { return "test_probe" }

func init() { approval.Register(probeType{}) }

var appSeq atomic.Int64

var (
	probeOnce      sync.Once
	probeApplicant int64
)

// probeApplicantID is a throwaway member of 示例云科技 who applies for the
// probe applications (so their messages go to nobody who matters).
func probeApplicantID(t *testing.T, env *testEnv) int64 {
	t.Helper()
	probeOnce.Do(func() {
		login := fmt.Sprintf("probe_app_%d", time.Now().UnixNano()%1e6)
		if err := env.DB.Raw(`INSERT INTO users (kind, partner_id, login_name, display_name, password_hash)
			VALUES ('partner', ?, ?, '申请测试员', 'x') RETURNING id`, env.World.SP, login).Scan(&probeApplicant).Error; err != nil {
			t.Fatal(err)
		}
	})
	return probeApplicant
}

// probeApplication submits a probe application of 示例云科技 (assigned to
// eco_manager, its ecosystem manager), optionally with a PDF attachment.
// It returns the application and attachment ids.
func probeApplication(t *testing.T, env *testEnv, withFile bool) (int64, int64) {
	t.Helper()
	ctx := context.Background()
	actor := access.Member(probeApplicantID(t, env), env.World.SP, false)
	actor.Name = loginOf(t, env, actor.UserID)
	var appID, fileID int64
	err := env.DB.Transaction(func(tx *gorm.DB) error {
		var attached []int64
		if withFile {
			id, _, err := files.Save(ctx, tx, files.Upload{PartnerID: env.World.SP, UserID: actor.UserID, Name: "测试附件.pdf",
				Data: []byte("%PDF-1.4 probe")}, files.Documents, files.MaxSize, "file")
			if err != nil {
				return err
			}
			fileID = id
			attached = append(attached, id)
		}
		app, err := env.App.svc.Approvals.SubmitNew(ctx, tx, actor, approval.New{Type: "test_probe",
			Title: fmt.Sprintf("测试申请%d", appSeq.Add(1)), Payload: map[string]any{"probe": true}, FileIDs: attached})
		if err != nil {
			return err
		}
		appID = app.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return appID, fileID
}

// returnedProbe is a fresh probe application returned for more materials
// by eco_manager (its reviewer).
func returnedProbe(t *testing.T, env *testEnv) int64 {
	t.Helper()
	id, _ := probeApplication(t, env, false)
	eco := access.VendorStaff(env.World.Users[demo.EcoManager], "eco_manager")
	eco.Name = demo.EcoManager
	if _, err := env.App.svc.Approvals.Return(context.Background(), eco, id, "请补充材料"); err != nil {
		t.Fatal(err)
	}
	return id
}

var (
	sharedProbeOnce       sync.Once
	sharedProbe, sharedPF int64
)

// sharedProbeApplication is one probe application with an attachment,
// created once, for read-only routes.
func sharedProbeApplication(t *testing.T, env *testEnv) (int64, int64) {
	sharedProbeOnce.Do(func() { sharedProbe, sharedPF = probeApplication(t, env, true) })
	return sharedProbe, sharedPF
}

// sendTestMessage gives a user a fresh unread message and returns its id.
func sendTestMessage(t *testing.T, env *testEnv, login string, link string) int64 {
	t.Helper()
	uid := env.World.Users[login]
	if uid == 0 {
		if err := env.DB.Raw(`SELECT id FROM users WHERE login_name = ?`, login).Scan(&uid).Error; err != nil || uid == 0 {
			t.Fatalf("user %s: %v", login, err)
		}
	}
	if err := notify.Send(context.Background(), env.DB, notify.Note{To: uid, Subject: "approval.msg.approved.subject", Body: "approval.msg.approved.body",
		Params: map[string]any{"Title": "测试消息", "TypeKey": "approval.type.hcpn_onboarding"}, Link: link}); err != nil {
		t.Fatal(err)
	}
	var id int64
	env.DB.Raw(`SELECT max(id) FROM messages WHERE user_id = ?`, uid).Scan(&id)
	return id
}

// newCompany is a registration form of a fresh company with a valid
// credit code.
func newCompany(name string) url.Values {
	n := appSeq.Add(1)
	stamp := time.Now().UnixNano() / 1000 % 1e6
	code := partner.USCCWithCheck(fmt.Sprintf("91440300MA%07d", stamp*10+n%10))
	return url.Values{
		"company_name": {name}, "credit_code": {code}, "site": {"cn"},
		"login_name": {fmt.Sprintf("new%d_%d", stamp, n)}, "display_name": {"测试管理员"},
		"email": {fmt.Sprintf("new%d_%d@example.cn", stamp, n)}, "mobile": {fmt.Sprintf("135%08d", (stamp*100+n)%1e8)},
		"password": {"Str0ng!pass"}, "password_confirm": {"Str0ng!pass"}, "agree": {"1"},
	}
}

// register signs up a company and returns its signed-in client.
func register(t *testing.T, env *testEnv, form url.Values) *client {
	t.Helper()
	c := env.client(t)
	c.get("/register")
	r := c.post("/register", form)
	if r.Status != http.StatusSeeOther || r.Location != "/onboarding" {
		t.Fatalf("register: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	return c
}

// onboardingForm is a complete onboarding form.
func onboardingForm(name string) url.Values {
	return url.Values{
		"company_name": {name}, "address": {"深圳市南山区科技园科苑路15号"}, "legal_representative": {"李明"},
		"registered_capital": {"1000万人民币"}, "business_scope": {"软件开发；信息技术服务"},
		"contact_name": {"王芳"}, "contact_position": {"商务总监"}, "contact_mobile": {"13912340000"}, "contact_email": {"wangfang@example.cn"},
		"agreements": {"partner_agreement", "management_rules", "code_of_conduct", "integrity_handbook"},
	}
}

// postMultipart submits a multipart form with one file and the CSRF token.
func (c *client) postMultipart(path string, form url.Values, field, filename string, data []byte) *response {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if form.Get("_csrf") == "" {
		_ = mw.WriteField("_csrf", c.csrf)
	}
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if field != "" {
		w, _ := mw.CreateFormFile(field, filename)
		_, _ = io.Copy(w, bytes.NewReader(data))
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.env.Srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

var idInPath = regexp.MustCompile(`/(\d+)$`)

func idOf(t *testing.T, location string) int64 {
	t.Helper()
	m := idInPath.FindStringSubmatch(location)
	if m == nil {
		t.Fatalf("no id in %q", location)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// loginOf returns the login name of a user id.
func loginOf(t *testing.T, env *testEnv, id int64) string {
	var s string
	env.DB.Raw(`SELECT login_name FROM users WHERE id = ?`, id).Scan(&s)
	return s
}

var _ = demo.SPAdmin
