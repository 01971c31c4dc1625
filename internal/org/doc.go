// Package org owns 组织 > 组织成员 (seed 003 §7.1): the organization
// members (sub-accounts) of a partner tenant. The partner admin — or a
// member granted org.members.manage — creates members with an initial
// password, edits them, gives them at most three roles (seed 003
// §12.1.9.3), disables, enables, deletes them and resets their password.
//
// Rules kept here rather than in handlers:
//   - login name, email and mobile are unique across all users (seed 003
//     §7.1.5: 邮箱/手机号已被注册; a member name may not equal an existing
//     account);
//   - the main account owns the tenant: it can never be disabled, deleted
//     or given roles (it holds everything), and nobody else edits it;
//   - nobody disables, deletes, resets the password of or changes the
//     roles of their own account here;
//   - a member who manages members may only give roles whose items it
//     holds itself (no escalation through org.members.manage);
//   - disabling, deleting or resetting the password ends every session of
//     the member in the same transaction;
//   - every change writes an audit row (never a password hash).
//
// Roles themselves (the permission tree, custom roles, the preset 客户经理
// role) live in internal/access; access.Load reads a member's roles on
// every request, so changes take effect on the member's next request.
// org owns who holds which role (user_roles) and answers who the tenant's
// customer managers are (CustomerManagers, IsCustomerManager) for
// internal/customer.
package org
