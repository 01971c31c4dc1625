package clock

import (
	"testing"
	"time"
)

func TestAddWorkingDaysSkipsWeekendsAndHolidays(t *testing.T) {
	cal := Calendar{Overrides: map[string]bool{"2026-10-01": false, "2026-10-02": false, "2026-10-10": true}}
	// Friday 2026-09-25 10:00 CST + 3 working days: Mon 28, Tue 29, Wed 30.
	start := time.Date(2026, 9, 25, 10, 0, 0, 0, China)
	if got := cal.AddWorkingDays(start, 3).In(China).Format(time.DateOnly); got != "2026-09-30" {
		t.Fatalf("got %s want 2026-09-30", got)
	}
	// Wed 2026-09-30 + 3: Thu 1 and Fri 2 are holidays, Sat 3/Sun 4 weekend,
	// Mon 5, Tue 6, Wed 7.
	start = time.Date(2026, 9, 30, 9, 0, 0, 0, China)
	if got := cal.AddWorkingDays(start, 3).In(China).Format(time.DateOnly); got != "2026-10-07" {
		t.Fatalf("got %s want 2026-10-07", got)
	}
	if !cal.IsWorkingDay(time.Date(2026, 10, 10, 12, 0, 0, 0, China)) {
		t.Fatal("make-up Saturday must be a working day")
	}
}
