package performance

import "strconv"

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// pad writes a partner id with at least six digits (业绩单ID).
func pad(n int64) string {
	s := itoa(n)
	for len(s) < 6 {
		s = "0" + s
	}
	return s
}
