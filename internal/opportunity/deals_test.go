package opportunity

import (
	"fmt"
	"testing"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/dbtest"
)

// customerOf associates a new customer with the partner, managed by the
// manager (0: none), and returns its id.
func (f *fx) customerOf(t *testing.T, partnerID, manager int64) int64 {
	t.Helper()
	n := seq.Add(1)
	var id int64
	if err := f.db.Raw(`INSERT INTO customers (account_name, name, kind, registered_at) VALUES (?, ?, 'enterprise', now()) RETURNING id`,
		fmt.Sprintf("deal_c%d", n), fmt.Sprintf("商机客户%d有限公司", n)).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	var mgr any
	if manager != 0 {
		mgr = manager
	}
	if err := f.db.Exec(`INSERT INTO associations (partner_id, customer_id, mode, status, manager_user_id, associated_at)
		VALUES (?, ?, 'resale', 'active', ?, now())`, partnerID, id, mgr).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

func scoped(uid, pid int64) *access.Principal {
	p := access.Member(uid, pid, false)
	p.CustomerScope = access.ScopeAssigned
	return p
}

func deal(customerID int64) DealInput {
	return DealInput{CustomerID: customerID, Title: "核心系统上云", Industry: "retail", Kind: "migration", Confidence: "70", Stage: "proposal",
		MonthlyRevenue: "25000"}
}

// 商机 (seed 002 L17–18): the admin records one for a cloud reseller's
// customer; a customer manager only for a customer it manages (not a
// colleague's) and sees only its own; its supervisor sees its managers'
// and cannot record (the seed's sentence); progress moves the stage.
func TestDealsScopes(t *testing.T) {
	f := setup(t)
	md := f.company(t, access.IdentityMasterDistributor)
	reseller := f.company(t, access.IdentityCloudReseller)
	if err := f.db.Exec(`UPDATE partners SET parent_partner_id = ? WHERE id = ?`, md.PartnerID, reseller.PartnerID).Error; err != nil {
		t.Fatal(err)
	}
	sup, _ := dbtest.User(t, f.db, md.PartnerID, "", false)
	m1, _ := dbtest.User(t, f.db, md.PartnerID, "", false)
	m2, _ := dbtest.User(t, f.db, md.PartnerID, "", false)
	if err := f.db.Exec(`UPDATE users SET supervisor_id = ? WHERE id = ?`, sup, m1).Error; err != nil {
		t.Fatal(err)
	}
	own, colleague := f.customerOf(t, md.PartnerID, m1), f.customerOf(t, md.PartnerID, m2)
	resold := f.customerOf(t, reseller.PartnerID, 0)

	d1, err := f.svc.CreateDeal(bg, md, deal(resold))
	if err != nil || d1.CustomerPartnerID != reseller.PartnerID {
		t.Fatalf("the admin on a reseller's customer: %+v %v", d1, err)
	}
	if _, err := f.svc.CreateDeal(bg, scoped(m1, md.PartnerID), deal(colleague)); err == nil {
		t.Fatal("a customer manager recorded one for a colleague's customer")
	}
	if _, err := f.svc.CreateDeal(bg, scoped(m1, md.PartnerID), deal(resold)); err == nil {
		t.Fatal("a customer manager recorded one for a reseller's customer")
	}
	d2, err := f.svc.CreateDeal(bg, scoped(m1, md.PartnerID), deal(own))
	if err != nil || d2.OwnerUserID != m1 {
		t.Fatalf("a customer manager on its customer: %+v %v", d2, err)
	}
	if _, err := f.svc.CreateDeal(bg, scoped(sup, md.PartnerID), deal(own)); key(err) != ErrSupervisorCannotCreate {
		t.Fatalf("a supervisor recorded one: %v", err)
	}
	for who, want := range map[string]struct {
		p *access.Principal
		n int64
	}{"admin": {md, 2}, "m1": {scoped(m1, md.PartnerID), 1}, "m2": {scoped(m2, md.PartnerID), 0}, "supervisor": {scoped(sup, md.PartnerID), 1}} {
		if _, n, err := f.svc.Deals(bg, want.p, DealFilter{}); err != nil || n != want.n {
			t.Errorf("%s sees %d (want %d): %v", who, n, want.n, err)
		}
	}
	if _, err := f.svc.Deal(bg, scoped(m2, md.PartnerID), d2.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("a colleague reads it: %v", err)
	}
	if err := f.svc.AddProgress(bg, scoped(sup, md.PartnerID), d2.ID, "跟进", "negotiation"); key(err) != ErrSupervisorCannotCreate {
		t.Fatalf("a supervisor added progress: %v", err)
	}
	if err := f.svc.AddProgress(bg, scoped(m1, md.PartnerID), d2.ID, "客户确认预算，进入商务谈判", "negotiation"); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.Deal(bg, scoped(sup, md.PartnerID), d2.ID)
	if err != nil || got.Stage != "negotiation" || len(got.Progress) != 1 {
		t.Fatalf("after progress: %+v %v", got, err)
	}
	other := f.company(t, access.IdentitySolutionProvider)
	if _, err := f.svc.Deal(bg, other, d2.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another tenant reads it: %v", err)
	}
	if err := f.svc.UpdateDeal(bg, md, d2.ID, DealInput{Title: "", Industry: "retail", Kind: "migration", Confidence: "65", Stage: "won",
		MonthlyRevenue: "x"}); err == nil {
		t.Fatal("a bad form was saved")
	}
}
