package opportunities

import "partnercenter/views/ui"

func listTitle(vendor bool) string {
	if vendor {
		return "nav.partners.opportunities"
	}
	return "nav.opportunities.po"
}

func listMenu(vendor bool) string {
	if vendor {
		return "nav.partners"
	}
	return "nav.opportunities"
}

func listDesc(vendor bool) string {
	if vendor {
		return "opportunity.review.desc"
	}
	return "opportunity.list.desc"
}

func listPath(vendor bool) string {
	if vendor {
		return "/partners/opportunities"
	}
	return "/opportunities/po"
}

func emptyHint(vendor bool) string {
	if vendor {
		return "opportunity.review.empty_hint"
	}
	return "opportunity.empty_hint"
}

func formTitle(vm FormVM) string {
	if vm.O == nil {
		return "opportunity.add"
	}
	return "opportunity.detail"
}

func formAction(vm FormVM) string {
	if vm.O == nil {
		return "/opportunities/po"
	}
	return ui.Path("/opportunities/po/", vm.O.ID)
}
