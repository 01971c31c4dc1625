// Package audit renders 组织 > 操作日志: the tenant's audit trail with
// filters, an expandable before/after comparison and a CSV export.
package audit

import (
	"context"
	"net/url"

	"partnercenter/internal/audit"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// ListVM is the audit list page.
type ListVM struct {
	Filter      audit.Filter
	Rows        []audit.Entry
	Pager       components.Pager
	Actions     []string
	ObjectTypes []string
	Errors      map[string]string // filter field → catalog key
	Query       url.Values        // current filter, for the export link
}

func (vm ListVM) err(field string) string {
	if vm.Errors == nil {
		return ""
	}
	return vm.Errors[field]
}

func actionLabel(ctx context.Context, action string) string {
	return audit.ActionLabel(ui.P(ctx).Lang, action)
}

func objectLabel(ctx context.Context, t string) string {
	return audit.ObjectLabel(ui.P(ctx).Lang, t)
}

func actionOptions(ctx context.Context, vm ListVM) []components.Option {
	out := []components.Option{{Value: "", Label: "list.all"}}
	seen := false
	for _, a := range vm.Actions {
		out = append(out, components.Option{Value: a, Label: actionLabel(ctx, a), Raw: true})
		seen = seen || a == vm.Filter.Action
	}
	if vm.Filter.Action != "" && !seen {
		out = append(out, components.Option{Value: vm.Filter.Action, Label: actionLabel(ctx, vm.Filter.Action), Raw: true})
	}
	return out
}

func objectOptions(ctx context.Context, vm ListVM) []components.Option {
	out := []components.Option{{Value: "", Label: "list.all"}}
	seen := false
	for _, t := range vm.ObjectTypes {
		out = append(out, components.Option{Value: t, Label: objectLabel(ctx, t), Raw: true})
		seen = seen || t == vm.Filter.ObjectType
	}
	if vm.Filter.ObjectType != "" && !seen {
		out = append(out, components.Option{Value: vm.Filter.ObjectType, Label: objectLabel(ctx, vm.Filter.ObjectType), Raw: true})
	}
	return out
}

func sortOf(vm ListVM) components.Sort {
	return components.Sort{Field: "at", Current: "at", Desc: !vm.Filter.Asc, Query: vm.Query, Path: "/org/audit", Target: "#audit-table"}
}

func exportURL(vm ListVM) string {
	q := url.Values{}
	for k, v := range vm.Query {
		if k != "page" {
			q[k] = v
		}
	}
	if len(q) == 0 {
		return "/org/audit/export.csv"
	}
	return "/org/audit/export.csv?" + q.Encode()
}

// fieldLabel is a comparison line's field in words ("-" for a snapshot
// that is not an object).
func fieldLabel(l audit.DiffLine) string {
	if l.Label == "" {
		return "-"
	}
	return l.Label
}

// diff is the row's before/after comparison in the reader's language.
func diff(ctx context.Context, e audit.Entry) []audit.DiffLine {
	return audit.DescribeDiff(ui.P(ctx).Lang, &e)
}

// actorText is the row's actor: its login name, or 系统 / System.
func actorText(ctx context.Context, e audit.Entry) string {
	return audit.ActorLabel(ui.P(ctx).Lang, e.ActorName)
}

func objectText(ctx context.Context, e audit.Entry) string {
	s := objectLabel(ctx, e.ObjectType)
	if e.ObjectID != "" {
		s += " #" + e.ObjectID
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
