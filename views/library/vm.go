// Package library renders 支持 > 资料库 (seed 003 §14.1; issue 14) and the
// vendor's 资料管理.
package library

import (
	"slices"
	"strings"

	"partnercenter/internal/library"
	"partnercenter/views/components"
)

// ListVM is 资料库: the documents, the directories to filter by, or the
// refusal for a partner in no programme or path.
type ListVM struct {
	Docs     []library.Document
	Dirs     []string
	Filter   library.Filter
	Pager    components.Pager
	NoAccess bool
}

// ViewVM is a document in the viewer.
type ViewVM struct {
	D *library.Document
}

// VendorListVM is 资料管理.
type VendorListVM struct {
	Docs   []library.Document
	Filter library.Filter
	Pager  components.Pager
}

// FormVM is a document's form: new (D nil) or an existing one.
type FormVM struct {
	D       *library.Document
	In      library.Input
	Errors  map[string]string
	Summary string
}

func categoryOptions(all bool) []components.Option {
	first := components.Option{Value: "", Label: "library.choose_category"}
	if all {
		first.Label = "list.all"
	}
	out := []components.Option{first}
	for _, c := range library.Categories {
		out = append(out, components.Option{Value: c, Label: "library.category." + c})
	}
	return out
}

func dirOptions(dirs []string) []components.Option {
	out := []components.Option{{Value: "", Label: "list.all"}}
	for _, d := range dirs {
		out = append(out, components.Option{Value: d, Label: d, Raw: true})
	}
	return out
}

func statusOptions() []components.Option {
	return []components.Option{{Value: "", Label: "list.all"}, {Value: library.StatusActive, Label: "library.status.active"},
		{Value: library.StatusTakenDown, Label: "library.status.taken_down"}}
}

func keywords(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func inAudience(in library.Input, id string) bool { return slices.Contains(in.Audience, id) }

// InputOf is the form of a saved document.
func InputOf(d *library.Document) library.Input {
	return library.Input{Title: d.Title, Keywords: d.Keywords, Category: d.Category, Directory: d.Directory,
		Downloadable: d.Downloadable, Audience: d.Audience}
}

func isPDF(d *library.Document) bool { return d.ContentType == "application/pdf" }

// viewerParams hides the PDF viewer's toolbar (download, print) for a
// view-only document.
func viewerParams(d *library.Document) string {
	if d.Downloadable {
		return ""
	}
	return "#toolbar=0"
}
