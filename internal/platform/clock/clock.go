// Package clock gives services an injectable notion of "now" and counts
// working days (weekends and public holidays skipped, make-up working
// days honoured) for due dates such as "3-5 个工作日".
package clock

import (
	"sync"
	"time"
)

// Clock tells the time. Services take one so tests can move time.
type Clock interface{ Now() time.Time }

// System is the real clock.
type System struct{}

// Now returns the current time in UTC.
func (System) Now() time.Time { return time.Now().UTC() }

// Fixed is a settable clock for tests.
type Fixed struct {
	mu sync.Mutex
	t  time.Time
}

// NewFixed returns a clock stopped at t.
func NewFixed(t time.Time) *Fixed { return &Fixed{t: t} }

// Now returns the stopped time.
func (f *Fixed) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }

// Advance moves the clock forward.
func (f *Fixed) Advance(d time.Duration) { f.mu.Lock(); f.t = f.t.Add(d); f.mu.Unlock() }

// China is the time zone in which the seeds count days.
var China = time.FixedZone("CST", 8*3600)

// ChinaDate is t's calendar day in China time as a UTC midnight: the value
// a DATE column holds and compares with.
func ChinaDate(t time.Time) time.Time {
	l := t.In(China)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

// Calendar knows which days are working days. Overrides map a date
// (YYYY-MM-DD) to true for a make-up working day on a weekend and false for
// a public holiday on a weekday.
type Calendar struct {
	Overrides map[string]bool
}

// IsWorkingDay reports whether the day of t (in China time) is a working day.
func (c Calendar) IsWorkingDay(t time.Time) bool {
	d := t.In(China)
	if v, ok := c.Overrides[d.Format(time.DateOnly)]; ok {
		return v
	}
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
}

// AddWorkingDays returns the end of the n-th working day after t (23:59:59
// China time), which is how "n 个工作日内" is read.
func (c Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	d := t.In(China)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, China).UTC()
}
