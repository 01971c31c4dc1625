package partner

import "testing"

// Seed 003 §3.1 shows 91310117557415205K as the shape of a USCC; its check
// character under GB 32100-2015 is 5, not K, so the real code with that body
// is 913101175574152055. 777023172 (§3.1) is a valid organization code.
func TestCreditCodeChecksumsAcceptSeedExamples(t *testing.T) {
	if !ValidUSCC("913101175574152055") {
		t.Fatal("valid USCC rejected")
	}
	if ValidUSCC("91310117557415205K") {
		t.Fatal("the seed illustration has a wrong check character and must be refused")
	}
	if !ValidOrgCode("777023172") {
		t.Fatal("seed organization code example rejected")
	}
}

func TestCreditCodeChecksumsRejectTypos(t *testing.T) {
	for _, s := range []string{"91310117557415205J", "913101175574152065", "9131011755741520K", "913101175574152O55", "91310117557415I05K", "777023173", ""} {
		if ValidCreditCode(s) {
			t.Errorf("%q accepted", s)
		}
	}
}

func FuzzValidCreditCode(f *testing.F) {
	f.Add("913101175574152055")
	f.Add("777023172")
	f.Fuzz(func(t *testing.T, s string) {
		if ValidUSCC(s) && len(s) != 18 {
			t.Fatalf("USCC of length %d accepted", len(s))
		}
		if ValidOrgCode(s) && len(s) != 9 {
			t.Fatalf("org code of length %d accepted", len(s))
		}
	})
}
