// Package vendor renders the vendor console's 伙伴 pages.
package partners

import (
	"partnercenter/internal/paths"
	"partnercenter/internal/program"
	"strconv"
	"strings"

	"partnercenter/views/components"
)

func currentManager(vm PartnerVM) string {
	if vm.Row.EcoManagerID == nil {
		return ""
	}
	return strconv.FormatInt(*vm.Row.EcoManagerID, 10)
}

func managerOptions(vm PartnerVM) []components.Option {
	opts := []components.Option{{Value: "", Label: "vendor.partners.choose"}}
	for _, m := range vm.Managers {
		name := m.DisplayName
		if name == "" {
			name = m.LoginName
		}
		opts = append(opts, components.Option{Value: strconv.FormatInt(m.ID, 10), Label: name + " (" + m.LoginName + ") · " + strconv.FormatInt(m.Partners, 10), Raw: true})
	}
	return opts
}

// joined is the non-empty parts separated by " · " (a contact's name,
// mobile and email on one line).
func joined(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

// errOf is a field error of the form that failed, "" for other forms.
func errOf(vm PartnerVM, form, field string) string {
	if vm.Form != form {
		return ""
	}
	return vm.Errors[field]
}

func endKinds(m program.Membership) []components.Option {
	out := []components.Option{{Value: program.EndExit, Label: "program.vendor.kind.exit"}}
	if m.Program == program.SolutionProvider {
		out = append(out, components.Option{Value: program.EndDelist, Label: "program.vendor.kind.delist"})
	}
	return out
}

func passOptions() []components.Option {
	return []components.Option{{Value: "1", Label: "program.vendor.passed"}, {Value: "0", Label: "program.vendor.failed"}}
}

func mdTypes() []components.Option {
	return []components.Option{{Value: "", Label: "vendor.partners.choose"}, {Value: program.MDNational, Label: "program.md_type.national"},
		{Value: program.MDRegional, Label: "program.md_type.regional"}}
}

func regionClasses() []components.Option {
	return []components.Option{{Value: "", Label: "vendor.partners.choose"}, {Value: "1", Label: "program.region_class.1"},
		{Value: "2", Label: "program.region_class.2"}, {Value: "3", Label: "program.region_class.3"}}
}

func solutionKinds() []components.Option {
	return []components.Option{{Value: "", Label: "vendor.partners.choose"}, {Value: paths.KindCloudSoftware, Label: "path.kind.cloud_software"},
		{Value: paths.KindAdvanced, Label: "path.kind.advanced"}}
}

func invitePaths() []components.Option {
	return []components.Option{{Value: paths.PathSI, Label: "path.vendor.invite_si"}, {Value: paths.PathLearning, Label: "path.vendor.invite_learning"}}
}

func migrationOptions(vm PartnerVM) []components.Option {
	out := []components.Option{{Value: "", Label: "vendor.partners.choose"}}
	for _, t := range vm.MigrationTargets {
		out = append(out, components.Option{Value: strconv.FormatInt(t.ID, 10), Label: t.Name + " (#" + strconv.FormatInt(t.ID, 10) + ")", Raw: true})
	}
	return out
}
