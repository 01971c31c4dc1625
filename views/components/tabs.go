package components

// TabClass is the class of a tab link of a page's tab bar (active: the
// underlined one).
func TabClass(active bool) string {
	if active {
		return "px-4 py-2 -mb-px border-b-2 border-sky-600 text-sky-700 font-medium whitespace-nowrap"
	}
	return "px-4 py-2 -mb-px border-b-2 border-transparent text-slate-500 hover:text-slate-800 whitespace-nowrap"
}
