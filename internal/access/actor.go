package access

import "partnercenter/internal/platform/apperr"

// The actor rule (docs/ARCHITECTURE.md, "One actor"): every service method
// on tenant or user data takes the acting *Principal first — a partner
// member, a vendor staff member or a customer account, as the request's
// middleware computed it — and derives the tenant from it with one of the
// guards below. Handlers never pull a bare partner or user id out of the
// principal to pass on; a principal of the wrong kind is refused here, once.

// Tenant is the partner tenant of a partner member (of an active or a
// still-onboarding partner). Vendor staff, customers and an empty
// principal are refused.
func (p *Principal) Tenant() (int64, error) {
	if p == nil || p.IsCustomer || p.IsPersonal || p.IsVendor || p.PartnerID == 0 || p.UserID == 0 {
		return 0, apperr.Forbidden()
	}
	return p.PartnerID, nil
}

// Staff is the user id of a vendor staff member; anyone else is refused.
func (p *Principal) Staff() (int64, error) {
	if p == nil || !p.IsVendor || p.UserID == 0 {
		return 0, apperr.Forbidden()
	}
	return p.UserID, nil
}

// VendorAdmin is the user id of the acting vendor administrator (the
// vendor's settings: 权益政策 and 权益发放, 资料管理, 保护期设置, 重新投递);
// anyone else is refused.
func (p *Principal) VendorAdmin() (int64, error) {
	uid, err := p.Staff()
	if err != nil || p.VendorRole != "vendor_admin" {
		return 0, apperr.Forbidden()
	}
	return uid, nil
}

// CustomerAccount is the user id of a customer signed in to its console;
// anyone else is refused.
func (p *Principal) CustomerAccount() (int64, error) {
	if p == nil || !p.IsCustomer || p.UserID == 0 {
		return 0, apperr.Forbidden()
	}
	return p.UserID, nil
}

// Person is the user id of a personal Huawei account signed in to its
// console; anyone else is refused.
func (p *Principal) Person() (int64, error) {
	if p == nil || !p.IsPersonal || p.UserID == 0 {
		return 0, apperr.Forbidden()
	}
	return p.UserID, nil
}

// Self is the user id of any signed-in user — a partner member, a vendor
// staff member or a customer account — for methods on the user's own
// data that every kind of user has (its messages). The System principal
// and an empty principal are refused.
func (p *Principal) Self() (int64, error) {
	if p == nil || p.UserID == 0 {
		return 0, apperr.Forbidden()
	}
	return p.UserID, nil
}

// System is the actor of automatic work (jobs, sweeps, automatic
// decisions): no user, no tenant, no items.
var System = &Principal{Name: "system", Items: map[Item]bool{}}

// Member is a partner member's principal without its items, for jobs,
// the demo world and tests that act on a tenant outside a request. Items
// are what a request's principal carries; services check tenant and kind,
// the route table checks items.
func Member(userID, partnerID int64, isMain bool) *Principal {
	return &Principal{UserID: userID, PartnerID: partnerID, IsMain: isMain, PartnerActive: true, Items: map[Item]bool{}}
}

// VendorStaff is a vendor staff member's principal outside a request.
func VendorStaff(userID int64, role string) *Principal {
	return &Principal{UserID: userID, IsVendor: true, VendorRole: role, Items: map[Item]bool{}}
}

// PersonalUser is a personal account's principal outside a request.
func PersonalUser(userID int64) *Principal {
	return &Principal{UserID: userID, IsPersonal: true, Items: map[Item]bool{}}
}

// CustomerUser is a customer account's principal outside a request.
func CustomerUser(userID int64) *Principal {
	return &Principal{UserID: userID, IsCustomer: true, Items: map[Item]bool{}}
}
