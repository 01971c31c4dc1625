// Package onboarding renders joining the partner network: the public
// registration page, the onboarding form (with the fast-onboarding notice
// of seed 003 §3.2) and the review progress card shown on the home page.
package onboarding

import (
	"context"
	"time"

	core "partnercenter/internal/approval"
	"partnercenter/internal/onboarding"
	"partnercenter/internal/platform/clock"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// RegisterVM is the registration page.
type RegisterVM struct {
	Form   onboarding.Registration
	Errors map[string]string
	Error  string
}

// FormVM is the onboarding page.
type FormVM struct {
	State  *onboarding.State
	Form   onboarding.Form
	Errors map[string]string
	Error  string
	// Progress shows the review progress when the form is closed.
	Progress *ProgressVM
}

// ProgressVM is the onboarding review progress (审核进度).
type ProgressVM struct {
	Status string
	D      *core.Detail // latest onboarding application, nil before the first submission
}

func siteOptions() []components.Option {
	var out []components.Option
	for _, s := range onboarding.Sites {
		out = append(out, components.Option{Value: s, Label: "onboarding.site." + s})
	}
	return out
}

func agreed(f onboarding.Form, key string) bool {
	for _, a := range f.Agreements {
		if a == key {
			return true
		}
	}
	return false
}

// step is one step of the progress bar.
type step struct {
	Label string
	Done  bool
	Now   bool
	Fail  bool
	At    string
}

func steps(vm ProgressVM, at func(*core.Detail, string) string) []step {
	s := []step{{Label: "onboarding.step.register", Done: true}}
	d := vm.D
	submitted := d != nil && d.State != core.StateWithdrawn && d.State != core.StateDraft
	s = append(s, step{Label: "onboarding.step.submit", Done: submitted, Now: !submitted, At: at(d, "submitted")})
	review := step{Label: "onboarding.step.review", At: at(d, "due")}
	result := step{Label: "onboarding.step.result", At: at(d, "decided")}
	if submitted {
		switch d.State {
		case core.StateSubmitted, core.StateReturned:
			// Returned for more materials: still in review, the applicant's turn.
			review.Now = true
		case core.StateApproved:
			review.Done, result.Done = true, true
		case core.StateRejected:
			review.Done, result.Fail, result.Now = true, true, true
		}
	}
	return append(s, review, result)
}

func dotClass(s step) string {
	switch {
	case s.Fail:
		return "bg-rose-500 text-white"
	case s.Done:
		return "bg-emerald-500 text-white"
	case s.Now:
		return "bg-sky-600 text-white"
	}
	return "bg-slate-200 text-slate-500"
}

func errOf(m map[string]string, k string) string { return m[k] }

func stepTime(d *core.Detail, which string) string {
	if d == nil {
		return ""
	}
	var t *time.Time
	switch which {
	case "submitted":
		t = d.SubmittedAt
	case "due":
		if d.State == core.StateSubmitted {
			t = d.DueAt
		}
	case "decided":
		t = d.DecidedAt
	}
	if t == nil {
		return ""
	}
	return t.In(clock.China).Format("2006-01-02 15:04")
}

func reviewerName(ctx context.Context, d *core.Detail) string {
	if d.ReviewerName == "" {
		return ui.T(ctx, "onboarding.progress.reviewer_pending")
	}
	return d.ReviewerName
}
