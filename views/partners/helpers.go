// Package vendor renders the vendor console's 伙伴 pages.
package partners

import (
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
