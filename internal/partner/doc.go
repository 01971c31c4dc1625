// Package partner owns the partner tenant: the company (name, unified
// social credit code, licence data, contacts, logo, introduction), its
// identities (programs and development paths), its status through HCPN
// onboarding, the master distributor of a cloud reseller and the vendor
// ecosystem manager responsible for it.
//
// partner owns the partners and partner_identities tables; the program
// and paths packages change identities (and a reseller's parent) through
// Store's writes (identities.go) in their own transactions. Other
// packages read partners through Store
// (reads.go: names for a batch of ids, existence, a row lock, a master
// distributor's resellers, the partners an ecosystem manager looks after
// and its reviewing manager, the signing entity's change date, the
// vendor's partner picker).
package partner
