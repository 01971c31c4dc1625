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
