// Package components holds the shared view parts: page header, form
// fields with inline errors, status badges, empty states, tables with
// sortable headers and a pager, dialogs. Every page is built from these
// so the product looks the same everywhere.
package components

import (
	"net/url"
	"slices"
	"strconv"

	"partnercenter/internal/partner"
)

// Pager describes one page of a list.
type Pager struct {
	Page    int
	PerPage int
	Total   int64
	// Query is the current filter and sort, without "page".
	Query url.Values
	// Path is the list's URL path.
	Path string
	// Target is the element htmx swaps (e.g. "#member-table").
	Target string
	// Sized: the list honours ?per= (one of PageSizes) and the bar
	// offers the choice.
	Sized bool
	// Capped: there are more rows than Total (a capped count).
	Capped bool
}

// PageSizes are the page sizes a list offers.
var PageSizes = []int{10, 20, 50, 100}

// PageSize is the page size asked in per when it is one of PageSizes,
// else def.
func PageSize(per string, def int) int {
	n, err := strconv.Atoi(per)
	if err == nil && slices.Contains(PageSizes, n) {
		return n
	}
	return def
}

// ExactURL is the list with its exact total asked (精确计数).
func (p Pager) ExactURL() string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Set("count", "exact")
	q.Set("page", strconv.Itoa(p.Page))
	return p.Path + "?" + q.Encode()
}

// SizeQuery is the query the page-size form keeps: the filter and sort,
// without the page (a new size starts at page 1) and the size itself.
func (p Pager) SizeQuery() url.Values {
	q := url.Values{}
	for k, v := range p.Query {
		if k != "page" && k != "per" {
			q[k] = v
		}
	}
	return q
}

// Pages is the number of pages (at least 1).
func (p Pager) Pages() int {
	if p.PerPage <= 0 {
		return 1
	}
	n := int((p.Total + int64(p.PerPage) - 1) / int64(p.PerPage))
	if n < 1 {
		n = 1
	}
	return n
}

// URL returns the list URL for page n.
func (p Pager) URL(n int) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return p.Path + "?" + q.Encode()
}

// Window returns the page numbers to show around the current one (0 is
// an ellipsis).
func (p Pager) Window() []int {
	last := p.Pages()
	var out []int
	for i := 1; i <= last; i++ {
		if i == 1 || i == last || (i >= p.Page-2 && i <= p.Page+2) {
			out = append(out, i)
		} else if len(out) > 0 && out[len(out)-1] != 0 {
			out = append(out, 0)
		}
	}
	return out
}

// SortBy is the header of column field in the list this pager pages,
// which is sorted by current (desc: descending).
func (p Pager) SortBy(field, current string, desc bool) Sort {
	return Sort{Field: field, Current: current, Desc: desc, Query: p.Query, Path: p.Path, Target: p.Target}
}

// Sort describes a sortable column header.
type Sort struct {
	Field   string // this column
	Current string // the list's current sort field
	Desc    bool   // current direction
	Query   url.Values
	Path    string
	Target  string
}

// URL toggles the direction when this column is the current one.
func (s Sort) URL() string {
	q := url.Values{}
	for k, v := range s.Query {
		q[k] = v
	}
	q.Del("page")
	q.Set("sort", s.Field)
	dir := "asc"
	if s.Field == s.Current && !s.Desc {
		dir = "desc"
	}
	q.Set("dir", dir)
	return s.Path + "?" + q.Encode()
}

// Arrow is the indicator shown next to the current sort column.
func (s Sort) Arrow() string {
	if s.Field != s.Current {
		return ""
	}
	if s.Desc {
		return "↓"
	}
	return "↑"
}

// Option is a select option; Label is a catalog id unless Raw.
type Option struct {
	Value string
	Label string
	Raw   bool
}

// OptionsOf lists values as options labelled prefix+value, after head
// options (a "全部" or "请选择" first line), e.g.
// OptionsOf("people.invite.", people.InviteStates, AllOption).
func OptionsOf(prefix string, values []string, head ...Option) []Option {
	out := append([]Option{}, head...)
	for _, v := range values {
		out = append(out, Option{Value: v, Label: prefix + v})
	}
	return out
}

// AllOption is a filter's 全部 (no value).
var AllOption = Option{Value: "", Label: "list.all"}

// PartnerOptions are a partner select's options after head (请选择).
func PartnerOptions(cs []partner.Choice, head Option) []Option {
	out := []Option{head}
	for _, c := range cs {
		out = append(out, Option{Value: strconv.FormatInt(c.ID, 10), Label: c.Name, Raw: true})
	}
	return out
}
