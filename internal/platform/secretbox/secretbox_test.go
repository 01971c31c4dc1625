package secretbox

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
)

func newKey(id string) string {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return id + ":" + base64.StdEncoding.EncodeToString(k)
}

// A sealed value opens with its key, not with another; a changed byte or a
// value moved under another key's name is refused; rotation: the new key
// seals, the old one still opens until resealed; a value stored before
// sealing opens as is and is not current.
func TestSealOpenAndRotate(t *testing.T) {
	k1, k2 := newKey("k1"), newKey("k2")
	old, err := Parse(k1)
	if err != nil {
		t.Fatal(err)
	}
	v, err := old.Seal("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
	if err != nil || !strings.HasPrefix(v, "v1:k1:") || strings.Contains(v, "JBSWY3DP") {
		t.Fatalf("sealed %q %v", v, err)
	}
	if p, err := old.Open(v); err != nil || p != "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" {
		t.Fatalf("open %q %v", p, err)
	}
	rotated, err := Parse(k2 + "," + k1)
	if err != nil {
		t.Fatal(err)
	}
	if rotated.Current(v) {
		t.Fatal("a value of the old key is current after rotation")
	}
	if p, err := rotated.Open(v); err != nil || p != "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" {
		t.Fatalf("the old key no longer opens: %v", err)
	}
	v2, _ := rotated.Seal("X")
	if !rotated.Current(v2) || !strings.HasPrefix(v2, "v1:k2:") {
		t.Fatalf("the new key does not seal: %q", v2)
	}
	other, _ := Parse(newKey("k1"))
	if _, err := other.Open(v); err != ErrOpen {
		t.Fatalf("another k1 opened it: %v", err)
	}
	tampered := v[:len(v)-4] + "AAA="
	if _, err := old.Open(tampered); err != ErrOpen {
		t.Fatalf("a tampered value opened: %v", err)
	}
	if _, err := rotated.Open(strings.Replace(v, "v1:k1:", "v1:k2:", 1)); err != ErrOpen {
		t.Fatalf("a value moved under another key's name opened: %v", err)
	}
	if p, err := old.Open("JBSWY3DPEHPK3PXP"); err != nil || p != "JBSWY3DPEHPK3PXP" || old.Current(p) {
		t.Fatalf("a value stored before sealing: %q %v", p, err)
	}
	for _, bad := range []string{"", "k1", "K1:" + strings.Split(k1, ":")[1], "k1:c2hvcnQ=", k1 + "," + k1} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}
