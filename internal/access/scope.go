package access

// The customer-manager data scope (seed 003 §7.1.4, R57, §12.1.9.5) has
// exactly one definition, here: a member whose only role is the preset
// 客户经理 sees the customers it manages and those of the managers it
// supervises (users.supervisor_id); every other holder of a customer item
// sees every customer of its tenant. Each list or lookup a customer
// manager can reach applies one of the two conditions below; none writes
// its own.

// managedBy is the set of manager user ids a scoped principal sees. An
// array (rather than IN (subquery)) lets the planner use
// associations_partner_manager_idx (partner_id, manager_user_id).
const managedBy = `ANY(ARRAY(SELECT id FROM users WHERE id = ? OR supervisor_id = ?))`

// Scoped reports whether the principal sees only managed customers.
func (p *Principal) Scoped() bool { return p != nil && p.CustomerScope == ScopeAssigned }

// ManagerCondition restricts a column holding a customer manager's user id
// (associations.manager_user_id, or users.id itself) to the principal's
// scope: a condition and its arguments for gorm's Where, or "" when the
// principal sees every customer of the tenant.
func (p *Principal) ManagerCondition(column string) (string, []any) {
	if !p.Scoped() {
		return "", nil
	}
	return column + " = " + managedBy, []any{p.UserID, p.UserID}
}

// CustomerCondition is the same scope for tables keyed by customer
// (consumption lines, orders, funded balances): a condition on the given
// customer id column — the customer's active association with the
// principal's tenant is managed by someone in scope — or "" when the
// principal sees every customer of the tenant.
func (p *Principal) CustomerCondition(column string) (string, []any) {
	if !p.Scoped() {
		return "", nil
	}
	return column + ` IN (SELECT sa.customer_id FROM associations sa WHERE sa.partner_id = ? AND sa.status = 'active'
		AND sa.manager_user_id = ` + managedBy + `)`, []any{p.PartnerID, p.UserID, p.UserID}
}
