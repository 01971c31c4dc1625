package access

import "testing"

// TestResellerOnly: a cloud reseller with no other programme identity;
// path identities do not count.
func TestResellerOnly(t *testing.T) {
	for _, c := range []struct {
		ids  []string
		want bool
	}{
		{nil, false},
		{[]string{IdentityCloudReseller}, true},
		{[]string{IdentityCloudReseller, IdentityService}, true},
		{[]string{IdentityCloudReseller, IdentityMasterDistributor}, false},
		{[]string{IdentitySolutionProvider, IdentityCloudReseller}, false},
		{[]string{IdentitySoftware}, false},
	} {
		if got := ResellerOnly(c.ids); got != c.want {
			t.Errorf("ResellerOnly(%v) = %v, want %v", c.ids, got, c.want)
		}
	}
}
