// Package access owns who may do what: the permission tree (menu → page →
// action items), the default items every member gets by partner identity
// (seed 003 §7.1.1, table 7-1), the preset 客户经理 role (§7.1.4), custom
// roles built from the tree, and the Principal computed per request that
// the route table, the navigation and every button consult. Data scopes
// (a customer manager sees only its own customers) are exposed here and
// applied in the domain services.
package access
