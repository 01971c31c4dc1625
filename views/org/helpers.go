// Package org renders 组织 > 组织成员 and 角色管理: the member list, the
// member form (create, edit, reset password, disable, delete), the role
// list with the preset 客户经理 role and the role editor with its
// permission tree.
package org

import (
	"context"
	"net/url"
	"strconv"

	"partnercenter/internal/access"
	porg "partnercenter/internal/org"
	"partnercenter/views/components"
	"partnercenter/views/ui"
)

// MembersVM is the member list.
type MembersVM struct {
	Filter porg.Filter
	List   *porg.List
	Roles  []access.Role // for the role filter
	Pager  components.Pager
	Query  url.Values // current filter and sort, without page
}

// MemberFormVM is the create or edit form of a member.
type MemberFormVM struct {
	Member   *porg.Member // nil when creating
	Input    porg.Input
	Errors   map[string]string
	Summary  string // form-level message key
	Roles    []access.RoleDetail
	SelfID   int64
	Sessions int64
	// ResetErrors are the reset-password form's field errors.
	ResetErrors map[string]string
	// Supervisors may supervise the member (R57); nil hides the card.
	Supervisors []porg.SupervisorChoice
}

// RolesVM is the role list.
type RolesVM struct {
	Roles    []access.RoleDetail
	Defaults []access.Item
}

// RoleFormVM is the role editor.
type RoleFormVM struct {
	Role     *access.RoleDetail // nil when creating
	Input    access.RoleInput
	Errors   map[string]string
	Summary  string
	Defaults []access.Item
}

const tableTarget = "#member-table"

// RoleName is a role's display name: the preset role in the reader's
// language, custom roles as their admin named them.
func RoleName(ctx context.Context, r access.Role) string {
	if r.IsPreset() {
		return ui.T(ctx, "org.roles.preset.name")
	}
	return r.Name
}

// RoleDescription is a role's description, the preset's from the catalog.
func RoleDescription(ctx context.Context, r access.Role) string {
	if r.IsPreset() {
		return ui.T(ctx, "org.roles.preset.description")
	}
	return r.Description
}

func statusOptions() []components.Option {
	return []components.Option{
		{Value: "", Label: "list.all"},
		{Value: porg.StatusActive, Label: "org.members.status.active"},
		{Value: porg.StatusDisabled, Label: "org.members.status.disabled"},
	}
}

func roleOptions(ctx context.Context, roles []access.Role) []components.Option {
	opts := []components.Option{{Value: "", Label: ui.T(ctx, "list.all"), Raw: true}}
	for _, r := range roles {
		opts = append(opts, components.Option{Value: strconv.FormatInt(r.ID, 10), Label: RoleName(ctx, r), Raw: true})
	}
	return opts
}

func roleFilterValue(f porg.Filter) string {
	if f.RoleID == 0 {
		return ""
	}
	return strconv.FormatInt(f.RoleID, 10)
}

func sortOf(vm MembersVM, field string) components.Sort {
	return components.Sort{Field: field, Current: vm.Filter.Sort, Desc: vm.Filter.Desc, Query: vm.Query,
		Path: "/org/members", Target: tableTarget}
}

func memberPath(id int64, suffix string) string {
	return "/org/members/" + strconv.FormatInt(id, 10) + suffix
}

func rolePath(id int64, suffix string) string {
	return "/org/roles/" + strconv.FormatInt(id, 10) + suffix
}

func selectedRole(vm MemberFormVM, id int64) bool {
	for _, r := range vm.Input.RoleIDs {
		if r == id {
			return true
		}
	}
	return false
}

func supervisorOptions(ctx context.Context, vm MemberFormVM) []components.Option {
	opts := []components.Option{{Value: "0", Label: ui.T(ctx, "org.supervisor.none"), Raw: true}}
	for _, s := range vm.Supervisors {
		opts = append(opts, components.Option{Value: itoa(s.UserID), Label: s.Name + " (" + s.LoginName + ")", Raw: true})
	}
	return opts
}

func supervisorValue(vm MemberFormVM) string {
	if vm.Member == nil || vm.Member.SupervisorID == nil {
		return "0"
	}
	return itoa(*vm.Member.SupervisorID)
}

func isMainTarget(vm MemberFormVM) bool { return vm.Member != nil && vm.Member.IsMain }

func isSelf(vm MemberFormVM) bool { return vm.Member != nil && vm.Member.ID == vm.SelfID }

// rolesLocked: the main account holds everything and a member does not
// change its own roles.
func rolesLocked(vm MemberFormVM) bool { return isMainTarget(vm) || isSelf(vm) }

func formAction(vm MemberFormVM) string {
	if vm.Member == nil {
		return "/org/members"
	}
	return memberPath(vm.Member.ID, "")
}

func roleFormAction(vm RoleFormVM) string {
	if vm.Role == nil {
		return "/org/roles"
	}
	return rolePath(vm.Role.ID, "")
}

func itemSelected(vm RoleFormVM, it access.Item) bool {
	for _, s := range vm.Input.Items {
		if access.Item(s) == it {
			return true
		}
	}
	return false
}

func isDefault(defs []access.Item, it access.Item) bool {
	for _, d := range defs {
		if d == it {
			return true
		}
	}
	return false
}

// itemLabel is an item's label from the permission tree.
func itemLabel(ctx context.Context, it access.Item) string {
	if n := findNode(access.PartnerTree, it); n != nil {
		return ui.T(ctx, n.Label)
	}
	return string(it)
}

func findNode(ns []*access.Node, it access.Item) *access.Node {
	for _, n := range ns {
		if n.Item == it {
			return n
		}
		if f := findNode(n.Children, it); f != nil {
			return f
		}
	}
	return nil
}

func isLeaf(n *access.Node) bool { return len(n.Children) == 0 }

func checkboxID(it access.Item) string { return "item-" + string(it) }

func roleCheckboxID(id int64) string { return "role-" + strconv.FormatInt(id, 10) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func itemCount(n int) map[string]any { return map[string]any{"Count": n} }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func memberFormTitle(ctx context.Context, vm MemberFormVM) string {
	if vm.Member == nil {
		return ui.T(ctx, "org.members.new")
	}
	return ui.T(ctx, "org.members.edit_title", map[string]any{"Login": vm.Member.LoginName})
}

func memberFormDesc(ctx context.Context, vm MemberFormVM) string {
	if vm.Member == nil {
		return ui.T(ctx, "org.members.new_desc")
	}
	return ui.T(ctx, "org.members.edit_desc")
}

func roleFormTitle(ctx context.Context, vm RoleFormVM) string {
	if vm.Role == nil {
		return ui.T(ctx, "org.roles.new")
	}
	return ui.T(ctx, "org.roles.edit_title", map[string]any{"Name": vm.Role.Name})
}

// mainOnlyTitle explains why an item of the main account alone cannot be
// ticked (its label already says 仅主账号).
func mainOnlyTitle(ctx context.Context, n *access.Node) string {
	if n.MainOnly {
		return ui.T(ctx, "org.roles.main_only")
	}
	return ""
}

func roleDeleteConfirm(ctx context.Context, r access.RoleDetail) components.Confirm {
	return components.Confirm{
		ID:      "role-delete-" + strconv.FormatInt(r.ID, 10),
		Title:   ui.T(ctx, "org.roles.delete_title"),
		Message: ui.T(ctx, "org.roles.delete_confirm", map[string]any{"Name": r.Name}),
		Accept:  ui.T(ctx, "org.roles.delete"),
		Danger:  true,
	}
}

func memberDisableConfirm(ctx context.Context, id int64, login string) components.Confirm {
	return components.Confirm{
		ID:      "member-disable-" + strconv.FormatInt(id, 10),
		Title:   ui.T(ctx, "org.members.disable_title"),
		Message: ui.T(ctx, "org.members.disable_confirm", map[string]any{"Login": login}),
		Accept:  ui.T(ctx, "org.members.disable"),
		Danger:  true,
	}
}

func memberDeleteConfirm(ctx context.Context, id int64, login string) components.Confirm {
	return components.Confirm{
		ID:      "member-delete-" + strconv.FormatInt(id, 10),
		Title:   ui.T(ctx, "org.members.delete_title"),
		Message: ui.T(ctx, "org.members.delete_confirm", map[string]any{"Login": login}),
		Accept:  ui.T(ctx, "org.members.delete"),
		Danger:  true,
	}
}
