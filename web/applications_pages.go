package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/files"
	"partnercenter/internal/onboarding"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	apv "partnercenter/views/approval"
	"partnercenter/views/components"
)

// applicationRoutes are 伙伴信息 > 我的申请 for partners; the vendor's 审批
// inbox (approvals_pages.go) is the other face of the application engine
// (internal/approval).
func (a *App) applicationRoutes() []Route {
	return []Route{
		get("/applications", access.ApplicationsView, a.applications),
		get("/applications/:id", access.ApplicationsView, a.application),
		get("/applications/:id/files/:file", access.ApplicationsView, a.applicationFile),
		post("/applications/:id/withdraw", access.ApplicationsManage, a.withdrawApplication),
		post("/applications/:id/resubmit", access.ApplicationsManage, a.resubmitApplication),
	}
}

// applicationQuery reads list filters, keeping only known values.
func applicationQuery(c echo.Context) approval.Query {
	q := approval.Query{Overdue: c.QueryParam("overdue") == "1", Desc: c.QueryParam("dir") == "desc"}
	q.Page, q.PerPage = pageOf(c, 20)
	if t := c.QueryParam("type"); t != "" {
		if _, ok := approval.Lookup(t); ok {
			q.Type = t
		}
	}
	for _, s := range approval.States {
		if c.QueryParam("state") == s {
			q.State = s
		}
	}
	if n, err := strconv.Atoi(c.QueryParam("stage")); err == nil && n >= 1 && n <= approval.MaxStages() {
		q.Stage = n
	}
	if q.Overdue && q.State == "" {
		q.State = approval.StateSubmitted // overdue means still waiting
	}
	switch s := c.QueryParam("sort"); s {
	case "due", "submitted", "created":
		q.Sort = s
	}
	p := strings.TrimSpace(c.QueryParam("partner"))
	if len([]rune(p)) > 100 {
		p = string([]rune(p)[:100])
	}
	q.Partner = p
	return q
}

func listQuery(c echo.Context) url.Values {
	q := url.Values{}
	for k, v := range c.QueryParams() {
		if k != "page" {
			q[k] = v
		}
	}
	return q
}

func (a *App) applications(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	q := applicationQuery(c)
	q.Partner = "" // a tenant lists only its own
	rows, total, err := a.svc.Approvals.ForPartner(ctx, p, q)
	if err != nil {
		return err
	}
	counts, err := a.svc.Approvals.PartnerCounts(ctx, p)
	if err != nil {
		return err
	}
	tenant, err := a.svc.Partners.Own(ctx, p)
	if err != nil {
		return err
	}
	open := tenant.Status == partner.StatusRegistered || tenant.Status == partner.StatusRejected
	vm := apv.ListVM{Query: q, Rows: rows, Counts: counts, Now: a.Clock.Now(), OnboardingCTA: open,
		Pager: sized(c, components.Pager{Page: q.Page, PerPage: q.PerPage, Total: total, Query: listQuery(c), Path: "/applications", Target: "#application-table"})}
	return render(c, http.StatusOK, apv.Applications(vm))
}

func (a *App) application(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.renderApplication(c, id, http.StatusOK, apv.DetailVM{})
}

func (a *App) renderApplication(c echo.Context, id int64, status int, vm apv.DetailVM) error {
	d, err := a.svc.Approvals.DetailForPartner(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	vm.D, vm.Now = d, a.Clock.Now()
	vm.CanResubmit = d.Type == onboarding.TypeKey && d.State == approval.StateRejected && d.Partner.Status == partner.StatusRejected
	return render(c, status, apv.Application(vm))
}

// resubmitApplication answers a return for more materials: a note and up
// to approval.MaxSupplementFiles files, stored with the resubmission.
func (a *App) resubmitApplication(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	in := approval.Supplement{Note: c.FormValue("note")}
	ups, err := readUploads(c, "files", approval.MaxSupplementFiles)
	if err == nil {
		in.Uploads = ups
		_, err = a.svc.Approvals.Resubmit(c.Request().Context(), principalOf(c), id, in)
	}
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok || isHTMX(c) || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
			return err
		}
		vm := apv.DetailVM{Note: in.Note, NoteErr: ae.Fields["note"], FilesErr: ae.Fields["files"], FormErr: ae.Key}
		status := http.StatusUnprocessableEntity
		if ae.Kind == apperr.KindConflict {
			status = http.StatusConflict
		}
		return a.renderApplication(c, id, status, vm)
	}
	return a.done(c, "/applications/"+strconv.FormatInt(id, 10), "approval.flash.resubmitted")
}

// readUploads reads up to max uploaded files of a multipart field (empty
// parts skipped; each at most files.MaxSize).
func readUploads(c echo.Context, field string, max int) ([]files.Upload, error) {
	form, err := c.MultipartForm()
	if errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil {
		return nil, apperr.FieldError(field, "files.err.invalid")
	}
	var out []files.Upload
	for _, fh := range form.File[field] {
		if fh.Size == 0 {
			continue
		}
		if len(out) == max {
			return nil, apperr.FieldError(field, "approval.err.too_many_files")
		}
		if fh.Size > files.MaxSize {
			return nil, apperr.FieldError(field, "files.err.too_large")
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(f, files.MaxSize+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, files.Upload{Name: fh.Filename, Data: data})
	}
	return out, nil
}

func (a *App) withdrawApplication(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := a.svc.Approvals.Withdraw(c.Request().Context(), principalOf(c), id); err != nil {
		return err
	}
	return a.done(c, "/applications/"+strconv.FormatInt(id, 10), "approval.flash.withdrawn")
}

func (a *App) applicationFile(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	fid, err := paramID(c, "file")
	if err != nil {
		return err
	}
	f, err := a.svc.Approvals.FileForPartner(c.Request().Context(), principalOf(c), id, fid)
	if err != nil {
		return err
	}
	return sendFile(c, f)
}

// sendFile answers an attachment as a download.
func sendFile(c echo.Context, f *files.File) error {
	h := c.Response().Header()
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="file"; filename*=UTF-8''%s`, url.PathEscape(f.Name)))
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, f.ContentType, f.Data)
}
