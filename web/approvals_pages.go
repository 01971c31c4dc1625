package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/platform/apperr"
	apv "partnercenter/views/approval"
	"partnercenter/views/components"
)

// approvalRoutes are the vendor console's 审批 menu: the inbox, one
// application, its attachments and the decision. What an ecosystem
// manager may see is decided in internal/approval (404 otherwise).
func (a *App) approvalRoutes() []Route {
	return []Route{
		get("/approvals", access.VendorApprovalsView, a.approvals),
		get("/approvals/:id", access.VendorApprovalsView, a.approvalPage),
		get("/approvals/:id/files/:file", access.VendorApprovalsView, a.approvalFile),
		post("/approvals/:id/approve", access.VendorApprovalsDecide, a.approve),
		post("/approvals/:id/reject", access.VendorApprovalsDecide, a.reject),
		post("/approvals/:id/return", access.VendorApprovalsDecide, a.returnApplication),
		post("/approvals/:id/reassign", access.VendorApprovalsAssign, a.reassign),
	}
}

func (a *App) approvals(c echo.Context) error {
	ctx := c.Request().Context()
	actor := principalOf(c)
	q := applicationQuery(c)
	if !c.QueryParams().Has("state") && !q.Overdue {
		q.State = approval.StateSubmitted // the inbox opens on what waits for a decision
	}
	rows, total, err := a.svc.Approvals.Inbox(ctx, actor, q)
	if err != nil {
		return err
	}
	counts, err := a.svc.Approvals.InboxCounts(ctx, actor, q)
	if err != nil {
		return err
	}
	vm := apv.ListVM{Vendor: true, Query: q, Rows: rows, Counts: counts, Now: a.Clock.Now(),
		Pager: sized(c, components.Pager{Page: q.Page, PerPage: q.PerPage, Total: total, Query: listQuery(c), Path: "/approvals", Target: "#application-table"})}
	return render(c, http.StatusOK, apv.Inbox(vm))
}

func (a *App) approvalPage(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.renderApproval(c, id, http.StatusOK, apv.DetailVM{})
}

func (a *App) renderApproval(c echo.Context, id int64, status int, vm apv.DetailVM) error {
	d, err := a.svc.Approvals.DetailForVendor(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return err
	}
	vm.D, vm.Vendor, vm.Now = d, true, a.Clock.Now()
	staff, err := a.svc.Approvals.Reviewers(c.Request().Context(), principalOf(c))
	if err != nil {
		return err
	}
	vm.Reviewers = []components.Option{{Value: "", Label: "approval.assign.choose"}}
	for _, u := range staff {
		if d.ReviewerID == nil || *d.ReviewerID != u.ID {
			vm.Reviewers = append(vm.Reviewers, components.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name(), Raw: true})
		}
	}
	return render(c, status, apv.Approval(vm))
}

func (a *App) approvalFile(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	fid, err := paramID(c, "file")
	if err != nil {
		return err
	}
	f, err := a.svc.Approvals.FileForVendor(c.Request().Context(), principalOf(c), id, fid)
	if err != nil {
		return err
	}
	return sendFile(c, f)
}

func (a *App) approve(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	comment := c.FormValue("comment")
	app, err := a.svc.Approvals.Approve(c.Request().Context(), principalOf(c), id, comment)
	if err != nil {
		return a.decisionError(c, id, err, apv.DetailVM{Comment: comment})
	}
	if app.State == approval.StateSubmitted {
		return a.done(c, "/approvals/"+strconv.FormatInt(id, 10), "approval.flash.advanced")
	}
	return a.done(c, "/approvals/"+strconv.FormatInt(id, 10), "approval.flash.approved")
}

// returnApplication sends the application back for more materials.
func (a *App) returnApplication(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	comment := c.FormValue("return_comment")
	if _, err := a.svc.Approvals.Return(c.Request().Context(), principalOf(c), id, comment); err != nil {
		return a.decisionError(c, id, err, apv.DetailVM{ReturnComment: comment})
	}
	return a.done(c, "/approvals/"+strconv.FormatInt(id, 10), "approval.flash.returned")
}

// reassign gives the application to another reviewer (vendor administrator).
func (a *App) reassign(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	reviewer, _ := strconv.ParseInt(c.FormValue("reviewer"), 10, 64)
	if _, err := a.svc.Approvals.Reassign(c.Request().Context(), principalOf(c), id, reviewer, c.FormValue("assign_comment")); err != nil {
		return a.decisionError(c, id, err, apv.DetailVM{})
	}
	return a.done(c, "/approvals/"+strconv.FormatInt(id, 10), "approval.flash.reassigned")
}

func (a *App) reject(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	_, err = a.svc.Approvals.Reject(c.Request().Context(), principalOf(c), id, reason)
	if err != nil {
		return a.decisionError(c, id, err, apv.DetailVM{Reason: reason})
	}
	return a.done(c, "/approvals/"+strconv.FormatInt(id, 10), "approval.flash.rejected")
}

// decisionError re-renders the page with the field error (422) or the
// conflict message of a second decision (409); anything else goes to the
// error handler.
func (a *App) decisionError(c echo.Context, id int64, err error, vm apv.DetailVM) error {
	ae, ok := apperr.As(err)
	if !ok || isHTMX(c) {
		return err
	}
	switch ae.Kind {
	case apperr.KindInvalid:
		vm.CommentErr, vm.ReasonErr, vm.FormErr = ae.Fields["comment"], ae.Fields["reason"], ae.Key
		vm.ReturnCommentErr, vm.AssignErr = ae.Fields["return_comment"], ae.Fields["reviewer"]
		return a.renderApproval(c, id, http.StatusUnprocessableEntity, vm)
	case apperr.KindConflict, apperr.KindForbidden:
		vm.FormErr = ae.Key
		vm.Comment, vm.Reason, vm.ReturnComment = "", "", ""
		status := http.StatusConflict
		if ae.Kind == apperr.KindForbidden {
			status = http.StatusForbidden
		}
		return a.renderApproval(c, id, status, vm)
	}
	return err
}
