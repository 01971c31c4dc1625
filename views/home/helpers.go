// Package home renders the landing pages: the partner's identity,
// programs, ecosystem manager and pending items; the vendor staff's queue.
package home

import "unicode/utf8"

func initial(name string) string {
	r, _ := utf8.DecodeRuneInString(name)
	if r == utf8.RuneError {
		return "?"
	}
	return string(r)
}

// pendingAction is the link text of a to-do: things to read open with
// 立即查看, things to do with 立即处理.
func pendingAction(it PendingItem) string {
	switch it.Label {
	case "home.pending.open_applications", "home.pending.unread_messages", "home.pending.invoices_applied":
		return "home.view_now"
	}
	return "home.handle"
}
