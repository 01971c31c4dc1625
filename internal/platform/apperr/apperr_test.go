package apperr

import "testing"

// TestMessageKeyPicksTheSameFieldEveryTime: with several field errors the
// toast shows the first field's message in name order, on every call
// (ranging over the map would pick one at random).
func TestMessageKeyPicksTheSameFieldEveryTime(t *testing.T) {
	e := Invalid("error.form_invalid")
	e.Fields["zeta"] = "z.key"
	e.Fields["alpha"] = "a.key"
	e.Fields["mid"] = "m.key"
	for i := 0; i < 200; i++ {
		if got := e.MessageKey(); got != "a.key" {
			t.Fatalf("call %d: %q, want a.key", i, got)
		}
	}
	if got := Conflict("x.taken").MessageKey(); got != "x.taken" {
		t.Fatalf("no fields: %q", got)
	}
}

// TestWrapNamesTheOperationAndKeepsTheKind: a wrapped typed error still
// renders as its kind (the handler finds it with As) and its text names
// the operation; a nil error stays nil.
func TestWrapNamesTheOperationAndKeepsTheKind(t *testing.T) {
	op := func(fail bool) (err error) {
		defer Wrap(&err, "invoice.Issue(%d)", 42)
		if fail {
			return NotFound()
		}
		return nil
	}
	if err := op(false); err != nil {
		t.Fatalf("nil error wrapped: %v", err)
	}
	err := op(true)
	if !Is(err, KindNotFound) {
		t.Fatalf("kind lost: %v", err)
	}
	if got := err.Error(); got != "invoice.Issue(42): error.not_found" {
		t.Fatalf("text %q", got)
	}
}
