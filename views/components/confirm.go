package components

import (
	"strconv"

	"github.com/a-h/templ"
)

// Confirm is a confirmation dialog (ConfirmSubmit, ConfirmDialog): its
// title, what will happen, the facts it restates (amount, counterpart)
// and, for a refusal or a return, the reason asked for. The dialog sits
// inside the form it confirms; static/app.js opens it instead of
// submitting the form, and its confirm button submits the form once the
// reason is valid. Esc and 取消 close it and nothing is sent.
type Confirm struct {
	// ID is the dialog's id, unique on the page ("payout-reject-12"); its
	// title, message and reason field take it as a prefix.
	ID      string
	Title   string
	Message string
	// Lines restate what the action moves or affects, one labelled
	// line each.
	Lines []ConfirmLine
	// Reason is a reason typed in the dialog, or nil.
	Reason *ConfirmReason
	// Accept is the confirm button's label (default 确定); Danger makes
	// it red.
	Accept string
	Danger bool
	// Open shows the dialog as the page loads (the server refused the
	// reason).
	Open bool
}

// ConfirmLine is a labelled line of a confirmation ("金额  ¥88.80").
type ConfirmLine struct {
	Label string
	Value string
	// Field names a field of the form whose value the line shows when
	// the dialog opens (an amount typed in the form; for a select, the
	// chosen option's text); Value shows while the field is empty.
	Field string
	// Money shows the field's value as an amount (¥1,234.50).
	Money bool
}

// ConfirmReason is the reason field of a confirmation. It is checked in
// the browser before the form is sent (required, at most Max
// characters), with the message under the field in the user's language;
// the server checks it again.
type ConfirmReason struct {
	Name        string // the form field ("reason")
	Label       string
	Value       string
	Placeholder string
	Required    bool
	Max         int    // characters; 0: no limit
	Err         string // catalog id of the server's refusal, shown under the field
}

func confirmLineAttrs(l ConfirmLine) templ.Attributes {
	a := templ.Attributes{}
	if l.Field != "" {
		a["data-confirm-field"] = l.Field
	}
	if l.Money {
		a["data-confirm-money"] = true
	}
	return a
}

func confirmReasonAttrs(id string, r ConfirmReason) templ.Attributes {
	a := templ.Attributes{"aria-describedby": id + "-reason-error"}
	if r.Required {
		// Not the required attribute: the browser's own message would
		// speak the browser's language and block the form before the
		// dialog opens.
		a["aria-required"] = "true"
		a["data-required"] = true
	}
	if r.Max > 0 {
		a["maxlength"] = strconv.Itoa(r.Max)
		a["data-max"] = strconv.Itoa(r.Max)
	}
	if r.Placeholder != "" {
		a["placeholder"] = r.Placeholder
	}
	if r.Err != "" {
		a["aria-invalid"] = "true"
	}
	return a
}

func acceptClass(danger bool) string {
	if danger {
		return BtnDanger
	}
	return BtnPrimary
}

// Transfer is vendor finance's 付款完成 form of a bank transfer: posted to
// Action with the desk's key and the bank reference (payment_ref), after a
// confirmation naming the payee and the amount.
type Transfer struct {
	Action  string
	ID      string // unique on the page (ids of the input and dialog)
	Key     string
	Title   string // the button and the dialog's title
	Message string // the dialog's sentence, or empty
	RefHint string // the reference input's label
	Lines   []ConfirmLine
	TestID  string
	Error   string // a refusal of this form (catalog key), shown below it
}
