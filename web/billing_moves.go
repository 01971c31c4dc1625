package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/funds"
	"partnercenter/internal/ledger"
	"partnercenter/internal/platform/apperr"
	billingview "partnercenter/views/billing"
)

// Transfers (拨款) and recoveries (回收): form → preview → confirmation.

func (a *App) renderMoveForm(c echo.Context, status int, op string, ids []int64, amounts map[int64]string, memo, key string, formErr error) error {
	ctx := c.Request().Context()
	p := principalOf(c)
	vm := billingview.MoveFormVM{Op: op, Amounts: amounts, Memo: memo, Key: key, Errors: map[string]string{}}
	if vm.Key == "" || !ledger.ValidKey(vm.Key) {
		vm.Key = newIdemKey()
	}
	if len(ids) > 0 {
		custs, err := a.svc.Funds.CustomersByID(ctx, p, ids)
		if err != nil {
			return err
		}
		vm.Customers = custs
	}
	o, err := a.svc.Funds.Overview(ctx, p)
	if err != nil {
		return err
	}
	vm.Balance = o.Balance
	if ae, ok := apperr.As(formErr); ok {
		vm.Summary, vm.Args = ae.Key, ae.Args
		if ae.Fields != nil {
			vm.Errors = ae.Fields
		}
	}
	return render(c, status, billingview.MoveForm(vm))
}

func (a *App) moveForm(op string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ids := idsOf(c.QueryParams()["ids"])
		amounts := map[int64]string{}
		for _, id := range ids {
			amounts[id] = c.QueryParam("amount_" + strconv.FormatInt(id, 10))
		}
		return a.renderMoveForm(c, http.StatusOK, op, ids, amounts, c.QueryParam("memo"), "", nil)
	}
}

// moveInput reads the form of either step.
func moveInput(c echo.Context, op string) (funds.MoveInput, []int64, map[int64]string, error) {
	form, err := c.FormParams()
	if err != nil {
		return funds.MoveInput{}, nil, nil, err
	}
	in := funds.MoveInput{Op: op, Memo: form.Get("memo"), Key: form.Get("key"), Password: form.Get("password")}
	ids := idsOf(form["customer"])
	amounts := map[int64]string{}
	for _, id := range ids {
		amt := form.Get("amount_" + strconv.FormatInt(id, 10))
		amounts[id] = amt
		in.Items = append(in.Items, funds.MoveItem{CustomerID: id, Amount: amt})
	}
	return in, ids, amounts, nil
}

func (a *App) movePreview(op string) echo.HandlerFunc {
	return func(c echo.Context) error {
		in, ids, amounts, err := moveInput(c, op)
		if err != nil {
			return err
		}
		plan, err := a.svc.Funds.Preview(c.Request().Context(), principalOf(c), in)
		switch {
		case apperr.Is(err, apperr.KindInvalid):
			return a.renderMoveForm(c, http.StatusUnprocessableEntity, op, ids, amounts, in.Memo, in.Key, err)
		case apperr.Is(err, apperr.KindConflict):
			return a.renderMoveForm(c, http.StatusConflict, op, ids, amounts, in.Memo, in.Key, err)
		case err != nil:
			return err
		}
		if !ledger.ValidKey(in.Key) {
			in.Key = newIdemKey()
		}
		return render(c, http.StatusOK, billingview.Preview(billingview.PreviewVM{Plan: plan, Key: in.Key, Errors: map[string]string{}}))
	}
}

func (a *App) moveConfirm(op string) echo.HandlerFunc {
	return func(c echo.Context) error {
		in, ids, amounts, err := moveInput(c, op)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		p := principalOf(c)
		res, err := a.svc.Funds.Move(ctx, p, in)
		if apperr.Is(err, apperr.KindInvalid) || apperr.Is(err, apperr.KindTooMany) {
			// A wrong password (or a missing key) keeps the preview; bad
			// amounts go back to the form.
			if ae, _ := apperr.As(err); ae.Fields["password"] != "" || ae.Kind == apperr.KindTooMany {
				plan, perr := a.svc.Funds.Preview(ctx, p, in)
				if perr == nil {
					status := http.StatusUnprocessableEntity
					vm := billingview.PreviewVM{Plan: plan, Key: in.Key, Errors: ae.Fields}
					if ae.Kind == apperr.KindTooMany {
						status, vm.Summary = http.StatusTooManyRequests, ae.Key
					}
					return render(c, status, billingview.Preview(vm))
				}
			}
			return a.renderMoveForm(c, http.StatusUnprocessableEntity, op, ids, amounts, in.Memo, in.Key, err)
		}
		if apperr.Is(err, apperr.KindConflict) {
			// Insufficient funds or a key reused for other amounts: nothing
			// moved; the form comes back with the message and a fresh key.
			return a.renderMoveForm(c, http.StatusConflict, op, ids, amounts, in.Memo, "", err)
		}
		if err != nil {
			return err
		}
		msg := "billing." + op + ".done"
		if res.Replayed {
			msg = "billing.move.replayed"
		}
		return a.done(c, "/billing/funds/adjustments", msg)
	}
}
