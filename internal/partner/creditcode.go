package partner

import "strings"

// uscc charset of GB 32100-2015: digits and upper-case letters without
// I, O, S, V, Z.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidUSCC reports whether s is a unified social credit code with a
// correct check character (GB 32100-2015). Seed 003 §3.1 illustrates the
// shape with 91310117557415205K, whose check character should be 5
// (seed 003 §3.1).
func ValidUSCC(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, s[i])
		if v < 0 {
			return false
		}
		sum += v * usccWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return s[17] == usccChars[c]
}

var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// ValidOrgCode reports whether s is a 9-character organization code with a
// correct check character (GB 11714), e.g. 777023172 (seed 003 §3.1), used
// by companies whose licences were never merged into a USCC.
func ValidOrgCode(s string) bool {
	if len(s) != 9 {
		return false
	}
	sum := 0
	for i := 0; i < 8; i++ {
		ch := s[i]
		var v int
		switch {
		case ch >= '0' && ch <= '9':
			v = int(ch - '0')
		case ch >= 'A' && ch <= 'Z':
			v = int(ch-'A') + 10
		default:
			return false
		}
		sum += v * orgWeights[i]
	}
	c := 11 - sum%11
	var want byte
	switch c {
	case 10:
		want = 'X'
	case 11:
		want = '0'
	default:
		want = byte('0' + c)
	}
	return s[8] == want
}

// NormalizeCreditCode upper-cases and trims a code typed by a user.
func NormalizeCreditCode(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// ValidCreditCode accepts a USCC or, failing that, an organization code.
func ValidCreditCode(s string) bool { return ValidUSCC(s) || ValidOrgCode(s) }

// USCCWithCheck completes a 17-character body with its check character.
func USCCWithCheck(body string) string {
	if len(body) != 17 {
		return ""
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, body[i])
		if v < 0 {
			return ""
		}
		sum += v * usccWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return body + string(usccChars[c])
}
