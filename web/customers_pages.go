package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/customer"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/views/components"
	custview "partnercenter/views/customers"
)

// customerRoutes is 客户 > 客户管理, 客户分配 and 关联关系操作记录 (seed 003
// §12.1.2.2, .9, .10, §12.1.9.5).
func (a *App) customerRoutes() []Route {
	return []Route{
		get("/customers", access.CustomersView, a.custList),
		get("/customers/export.xlsx", access.CustomersExport, a.custExport),
		get("/customers/assign", access.CustomersAssign, a.custAssignPage),
		post("/customers/manager", access.CustomersAssign, a.custAssignBatch),
		get("/customers/records", access.CustomerRecordsView, a.custRecords),
		post("/customers/records/:id/approve", access.CustomerRecordsDecide, a.custRecordApprove),
		post("/customers/records/:id/reject", access.CustomerRecordsDecide, a.custRecordReject),
		// The requester (or the main account) withdraws its pending
		// switch or unbinding request; the service checks who asked.
		post("/customers/records/:id/cancel", access.CustomerRecordsView, a.custRecordCancel),
		get("/customers/:id", access.CustomersView, a.custDetail),
		post("/customers/:id/manager", access.CustomersAssign, a.custAssignOne),
		get("/customers/:id/switch", access.CustomersSwitch, a.custSwitchForm),
		post("/customers/:id/switch", access.CustomersSwitch, a.custSwitch),
		get("/customers/:id/unbind", access.CustomersUnbind, a.custUnbindForm),
		post("/customers/:id/unbind", access.CustomersUnbind, a.custUnbind),
	}
}

// custListQuery is a parsed list request: the service filter, the dates
// as entered and the canonical query (without page) for links.
type custListQuery struct {
	F        customer.Filter
	Desc     bool // the sort direction shown
	From, To string
	Q        url.Values
	MD       bool
}

// custParseFilter reads the list's search, filters, sort and page. The
// association date range is inclusive and counted in China time.
func (a *App) custParseFilter(c echo.Context) (custListQuery, error) {
	p := principalOf(c)
	var lq custListQuery
	f := customer.Filter{Q: strings.TrimSpace(c.QueryParam("q"))}
	f.Page, f.Per = pageOf(c, customer.PerPage)
	q := url.Values{}
	if f.Q != "" {
		q.Set("q", f.Q)
	}
	if m := c.QueryParam("mode"); custOneOf(m, customer.Modes) {
		f.Mode = m
		q.Set("mode", m)
	}
	if n, err := strconv.ParseInt(c.QueryParam("manager"), 10, 64); err == nil && (n == -1 || n > 0) {
		f.ManagerID = n
		q.Set("manager", strconv.FormatInt(n, 10))
	}
	if t, err := time.ParseInLocation("2006-01-02", c.QueryParam("from"), clock.China); err == nil {
		f.From = &t
		lq.From = t.Format("2006-01-02")
		q.Set("from", lq.From)
	}
	if t, err := time.ParseInLocation("2006-01-02", c.QueryParam("to"), clock.China); err == nil {
		end := t.AddDate(0, 0, 1) // the whole day (the service's bound is exclusive)
		f.To = &end
		lq.To = t.Format("2006-01-02")
		q.Set("to", lq.To)
	}
	switch s := c.QueryParam("state"); s {
	case customer.AssociationEnded, "all":
		f.State = s
		q.Set("state", s)
	}
	// The list shows the newest association first; sort=name goes A→Z.
	// lq.Desc is the direction shown, f.Desc reverses the service's default.
	lq.Desc = true
	if s := c.QueryParam("sort"); s == "name" || s == "associated" {
		f.Sort = s
		lq.Desc = c.QueryParam("dir") == "desc"
		f.Desc = lq.Desc
		if s == "associated" {
			f.Desc = !lq.Desc
		}
		q.Set("sort", s)
		if lq.Desc {
			q.Set("dir", "desc")
		} else {
			q.Set("dir", "asc")
		}
	}
	// A master distributor has the 我的客户 tab of its cloud resellers' customers (R64).
	md := p.HasIdentity(access.IdentityMasterDistributor)
	lq.MD = md
	if md && c.QueryParam("tab") == "resellers" {
		f.Resellers = true
		q.Set("tab", "resellers")
	}
	lq.F, lq.Q = f, q
	return lq, nil
}

func (a *App) custListVM(c echo.Context, path string) (custview.ListVM, error) {
	ctx := c.Request().Context()
	p := principalOf(c)
	lq, err := a.custParseFilter(c)
	if err != nil {
		return custview.ListVM{}, err
	}
	if path == "/customers/assign" {
		lq.F.Resellers = false // assignment concerns the tenant's own customers
		lq.Q.Del("tab")
	}
	list, err := a.svc.Customers.List(ctx, p, lq.F)
	if err != nil {
		return custview.ListVM{}, err
	}
	managers, err := a.svc.Customers.Managers(ctx, p)
	if err != nil {
		return custview.ListVM{}, err
	}
	return custview.ListVM{Path: path, Filter: lq.F, List: list, Query: lq.Q, Managers: managers, From: lq.From, To: lq.To, SortDesc: lq.Desc,
		ResellerTab: lq.MD && path == "/customers",
		Pager:       sized(c, components.Pager{Page: list.Page, PerPage: list.Per, Total: list.Total, Capped: list.TotalCapped, Query: lq.Q, Path: path, Target: "#customer-table"})}, nil
}

func (a *App) custList(c echo.Context) error {
	vm, err := a.custListVM(c, "/customers")
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, custview.List(vm))
}

func (a *App) custAssignPage(c echo.Context) error {
	vm, err := a.custListVM(c, "/customers/assign")
	if err != nil {
		return err
	}
	if vm.Loads, vm.Unassigned, err = a.svc.Customers.Loads(c.Request().Context(), principalOf(c)); err != nil {
		return err
	}
	return render(c, http.StatusOK, custview.Assign(vm))
}

// custAssign sets or clears the manager of the customers, then returns to
// the list it came from; a refused choice comes back as an error toast.
func (a *App) custAssign(c echo.Context, ids []int64, back string) error {
	raw := strings.TrimSpace(c.FormValue("manager_id"))
	manager, err := strconv.ParseInt(raw, 10, 64)
	switch {
	case raw == "" || err != nil || manager < 0:
		a.flash(c, "error", "customers.assign.err.manager_required")
		return a.seeOther(c, back)
	case len(ids) == 0:
		a.flash(c, "error", "customers.assign.err.none_selected")
		return a.seeOther(c, back)
	}
	_, err = a.svc.Customers.Assign(c.Request().Context(), principalOf(c), ids, manager)
	if apperr.Is(err, apperr.KindInvalid) || apperr.Is(err, apperr.KindConflict) {
		ae, _ := apperr.As(err)
		a.flash(c, "error", ae.MessageKey())
		return a.seeOther(c, back)
	}
	if err != nil {
		return err
	}
	if manager == 0 {
		return a.done(c, back, "customers.assign.cleared")
	}
	return a.done(c, back, "customers.assign.done")
}

func (a *App) custAssignBatch(c echo.Context) error {
	back := custLocalBack(c.FormValue("back"), "/customers", "/customers")
	return a.custAssign(c, custFormIDs(c, "customer_ids"), back)
}

func (a *App) custAssignOne(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	back := custLocalBack(c.FormValue("back"), "/customers", "/customers/"+strconv.FormatInt(id, 10))
	return a.custAssign(c, []int64{id}, back)
}

func (a *App) custDetail(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p := principalOf(c)
	d, err := a.svc.Customers.Get(ctx, p, id)
	if err != nil {
		return err
	}
	var managers []customer.Manager
	if p.Can(access.CustomersAssign) && !d.ReadOnly {
		if managers, err = a.svc.Customers.Managers(ctx, p); err != nil {
			return err
		}
	}
	return render(c, http.StatusOK, custview.Detail(custview.DetailVM{D: d, Managers: managers, Now: a.Clock.Now()}))
}

// ---- switch and unbind (seed 003 §12.1.2.9, §12.1.2.10) ----

func (a *App) custChangeDetail(c echo.Context) (*customer.Detail, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	d, err := a.svc.Customers.Get(c.Request().Context(), principalOf(c), id)
	if err != nil {
		return nil, err
	}
	if d.Current == nil || d.ReadOnly {
		return nil, apperr.Conflict("customers.change.err.not_current")
	}
	return d, nil
}

func (a *App) custChangeForm(c echo.Context, kind string) error {
	d, err := a.custChangeDetail(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, custview.Change(custview.ChangeVM{Kind: kind, D: d, Errors: map[string]string{}}))
}

func (a *App) custSwitchForm(c echo.Context) error { return a.custChangeForm(c, "switch") }

func (a *App) custUnbindForm(c echo.Context) error { return a.custChangeForm(c, "unbind") }

type custChangeOp func(s *customer.Service, c echo.Context, p *access.Principal, customerID int64, reason string) error

// custChange submits the request the customer then confirms in its
// console: the partner must tick 我已了解以上注意事项并同意此操作 and give a
// reason.
func (a *App) custChange(c echo.Context, kind string, op custChangeOp) error {
	d, err := a.custChangeDetail(c)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(c.FormValue("reason"))
	agreed := c.FormValue("agree") == "1"
	fields := apperr.Fields{}
	if !agreed {
		fields.Add("agree", "customers.change.err.agree")
	}
	if reason == "" {
		fields.Add("reason", "customers.change.err.reason_required")
	}
	err = fields.Err()
	if err == nil {
		err = op(a.svc.Customers, c, principalOf(c), d.Customer.ID, reason)
	}
	if apperr.Is(err, apperr.KindInvalid) || apperr.Is(err, apperr.KindConflict) || apperr.Is(err, apperr.KindTooMany) {
		ae, _ := apperr.As(err)
		status := http.StatusUnprocessableEntity
		if ae.Kind == apperr.KindConflict {
			status = http.StatusConflict
		}
		vm := custview.ChangeVM{Kind: kind, D: d, Reason: reason, Agreed: agreed, Errors: map[string]string{}, Summary: ae.Key, Args: ae.Args}
		if ae.Fields != nil {
			vm.Errors = ae.Fields
		}
		return render(c, status, custview.Change(vm))
	}
	if err != nil {
		return err
	}
	return a.done(c, "/customers/"+strconv.FormatInt(d.Customer.ID, 10), "customers."+kind+".submitted")
}

func (a *App) custSwitch(c echo.Context) error {
	return a.custChange(c, "switch", func(s *customer.Service, c echo.Context, p *access.Principal, id int64, reason string) error {
		_, err := s.RequestSwitch(c.Request().Context(), p, id, reason)
		return err
	})
}

func (a *App) custUnbind(c echo.Context) error {
	return a.custChange(c, "unbind", func(s *customer.Service, c echo.Context, p *access.Principal, id int64, reason string) error {
		_, err := s.RequestUnbind(c.Request().Context(), p, id, reason)
		return err
	})
}

// ---- 关联关系操作记录 (seed 003 §12.1.2.2) ----

func (a *App) custRecords(c echo.Context) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	f := customer.RecordFilter{CustomerName: strings.TrimSpace(c.QueryParam("customer")), ManagerName: strings.TrimSpace(c.QueryParam("manager")),
		Mobile: strings.TrimSpace(c.QueryParam("mobile")), Type: c.QueryParam("type"), Status: c.QueryParam("status"), Initiator: c.QueryParam("initiator")}
	f.Page, f.Per = pageOf(c, customer.PerPage)
	if !custOneOf(f.Type, customer.RequestTypes) {
		f.Type = ""
	}
	if !custOneOf(f.Status, customer.RequestStatuses) {
		f.Status = ""
	}
	md := p.HasIdentity(access.IdentityMasterDistributor)
	f.Resellers = md && c.QueryParam("tab") == "resellers"
	list, err := a.svc.Customers.Records(ctx, p, f)
	if err != nil {
		return err
	}
	q := custview.RecordQuery(f)
	vm := custview.RecordsVM{Filter: f, List: list, ResellerTab: md,
		Pager: sized(c, components.Pager{Page: list.Page, PerPage: list.Per, Total: list.Total, Query: q, Path: "/customers/records", Target: "#record-table"})}
	return render(c, http.StatusOK, custview.Records(vm))
}

// custDecide is the partner admin's answer to a customer's unbinding
// application (R14: only the main account holds customers.records.decide).
func (a *App) custDecide(c echo.Context, approve bool) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := a.svc.Customers.Decide(c.Request().Context(), principalOf(c), id, approve, strings.TrimSpace(c.FormValue("note"))); err != nil {
		return err
	}
	if approve {
		return a.done(c, "/customers/records", "customers.records.approved")
	}
	return a.done(c, "/customers/records", "customers.records.rejected")
}

func (a *App) custRecordApprove(c echo.Context) error { return a.custDecide(c, true) }

func (a *App) custRecordReject(c echo.Context) error { return a.custDecide(c, false) }

// custRecordCancel withdraws a pending partner-initiated request; the
// customer is told (a message).
func (a *App) custRecordCancel(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := a.svc.Customers.CancelRequest(c.Request().Context(), principalOf(c), id); err != nil {
		return err
	}
	return a.done(c, "/customers/records", "customers.records.cancelled")
}
