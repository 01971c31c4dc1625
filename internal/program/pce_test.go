package program

import (
	"slices"
	"testing"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
)

// PCE (§11.1.1.5–7): a partner in no program or path finds no entry (the
// seed's sentence) until the vendor whitelists it; joining needs the
// agreement and the commitment and the main account; it is admitted at
// once — active, the identity added, the agreement in 已签署协议 — and
// cannot join twice. A partner in the SP program has the entry.
func TestPCEJoin(t *testing.T) {
	f := setup(t)
	p, main := f.company(t, "")
	if o, err := f.svc.Overview(bg, main); err != nil || o.PCE.OK() || o.PCE.Refusal != ErrPCEEntry {
		t.Fatalf("no program, not whitelisted: %+v %v", o, err)
	}
	if _, err := f.svc.JoinPCE(bg, main, true, true); conflictKey(err) != ErrPCEEntry {
		t.Fatalf("joined without an entry: %v", err)
	}
	if err := f.svc.SetPCEWhitelist(bg, f.otherEco, p.ID, true); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another ecosystem manager's partner: %v", err)
	}
	if err := f.svc.SetPCEWhitelist(bg, f.eco, p.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.JoinPCE(bg, main, true, false); !apperr.Is(err, apperr.KindInvalid) {
		t.Fatalf("joined without the commitment: %v", err)
	}
	member := f.user(t, "partner", p.ID, "", false)
	if _, err := f.svc.JoinPCE(bg, member, true, true); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("a member joined for the company: %v", err)
	}
	m, err := f.svc.JoinPCE(bg, main, true, true)
	if err != nil || m.Status != StateActive || m.CertificateNo == nil || m.ValidUntil != nil {
		t.Fatalf("joined: %+v %v", m, err)
	}
	if !slices.Contains(f.identities(t, p.ID), access.IdentityPCE) {
		t.Fatal("the PCE identity was not added")
	}
	if _, err := f.svc.JoinPCE(bg, main, true, true); conflictKey(err) != ErrPCEAlready {
		t.Fatalf("joined twice: %v", err)
	}
	ags, err := f.svc.Agreements(bg, main)
	if err != nil || !slices.ContainsFunc(ags, func(a Agreement) bool { return a.NameKey == "program.agreement.pce" && a.Active }) {
		t.Fatalf("已签署协议 %+v %v", ags, err)
	}
	// PCE does not close the master distributor program to it (§5.2.2).
	if _, err := noOtherIdentity(bg, f.db, p.ID); err != nil {
		t.Fatalf("a PCE member counted as in a program: %v", err)
	}

	// A solution provider has the entry without the whitelist.
	_, sp := f.company(t, "", SolutionProvider)
	if o, err := f.svc.Overview(bg, sp); err != nil || !o.PCE.OK() {
		t.Fatalf("a solution provider's check list: %+v %v", o, err)
	}
}
