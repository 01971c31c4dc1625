// Package partner owns the partner tenant: the company (name, unified
// social credit code, licence data, contacts, logo, introduction), its
// identities (programs and development paths), its status through HCPN
// onboarding, the master distributor of a cloud reseller and the vendor
// ecosystem manager responsible for it.
package partner
