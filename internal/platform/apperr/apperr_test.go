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
