package customer

import (
	"context"
	"time"

	"partnercenter/internal/access"
)

// ---- Reports (报备, seed 003 §12.1.2.4, seed 001 报备规则) ----

// CreateReport reports a customer for the principal's tenant; it is
// protected until now + the validity period. Errors: field errors;
// "customer.err.report_protected_other" (another partner's report is
// protected until {{.Until}} — the partner is not named);
// "customer.err.report_duplicate" (this partner already reported it).
// Cases the seeds send to manual review return the report in_review with
// an application for the partner's ecosystem manager.
func (s *Service) CreateReport(ctx context.Context, p *access.Principal, in ReportInput) (*Report, error) {
	return nil, errTODO
}

// ListReports lists the tenant's reports (status computed at now).
func (s *Service) ListReports(ctx context.Context, p *access.Principal, f ReportFilter) (*ReportList, error) {
	return nil, errTODO
}

// GetReport returns one report of the tenant.
func (s *Service) GetReport(ctx context.Context, p *access.Principal, id int64) (*ReportRow, error) {
	return nil, errTODO
}

// Expire marks protected reports whose protection ended and online
// invitations past their 7 days as expired (a sweep; reads compute it too).
func (s *Service) Expire(ctx context.Context, now time.Time) (reports, invitations int64, err error) {
	return 0, 0, errTODO
}

// ---- Invitations (R10, R11; seed 003 §12.1.2.4–6, §12.4.14) ----

// InviteOnline sends an online invitation of a protected report to email in
// mode; the link is valid 7 days. The "email" is recorded as an in-app
// message and audit entry; the page shows the link (Invitation.Path).
func (s *Service) InviteOnline(ctx context.Context, p *access.Principal, reportID int64, email, mode string) (*Invitation, error) {
	return nil, errTODO
}

// Reinvite revokes an online invitation and sends a new one to newEmail
// (seed 003 §12.1.2.6); the report's email changes too.
func (s *Service) Reinvite(ctx context.Context, p *access.Principal, invitationID int64, newEmail string) (*Invitation, error) {
	return nil, errTODO
}

// InviteOffline creates an offline link (and QR code) in mode; it never
// expires (R10).
func (s *Service) InviteOffline(ctx context.Context, p *access.Principal, reportID int64, mode string) (*Invitation, error) {
	return nil, errTODO
}

// LookupInvitation returns what the landing page shows for a token
// (NotFound for an unknown or revoked link). It changes nothing.
func (s *Service) LookupInvitation(ctx context.Context, token string) (*Landing, error) {
	return nil, errTODO
}

// OpenInvitation marks the invitation opened the first time its landing
// page is shown and returns the landing.
func (s *Service) OpenInvitation(ctx context.Context, token string) (*Landing, error) {
	return nil, errTODO
}

// ListInvitations lists the tenant's invitations.
func (s *Service) ListInvitations(ctx context.Context, p *access.Principal, f InvitationFilter) (*InvitationList, error) {
	return nil, errTODO
}

// GetInvitation returns one invitation of the tenant.
func (s *Service) GetInvitation(ctx context.Context, p *access.Principal, id int64) (*InvitationRow, error) {
	return nil, errTODO
}

// ---- Customer accounts (console) ----

// Register creates a customer account: a users row (kind customer) and a
// customers row, registered now. Field errors use the identity keys.
func (s *Service) Register(ctx context.Context, in RegisterInput) (*Customer, error) {
	return nil, errTODO
}

// ByUser returns the customer of a console user (NotFound if none).
func (s *Service) ByUser(ctx context.Context, userID int64) (*Customer, error) {
	return nil, errTODO
}

// Account is the console's 账号中心 view.
func (s *Service) Account(ctx context.Context, customerUserID int64) (*Account, error) {
	return nil, errTODO
}

// MyPartners is the console's 我的合作伙伴 page.
func (s *Service) MyPartners(ctx context.Context, customerUserID int64) (*MyPartners, error) {
	return nil, errTODO
}

// ---- Association (R9–R13, R16; seed 003 §12.1.2, §12.4) ----

// Precheck runs every pre-check of associating the customer through the
// link, without changing anything, so the console shows why it would fail.
func (s *Service) Precheck(ctx context.Context, customerUserID int64, token string) (*Precheck, error) {
	return nil, errTODO
}

// Accept associates the customer with the invitation's partner in the
// invitation's mode after every pre-check passed and the agreement
// 《客户关联华为云合作伙伴须知》 was accepted. Each failing check gives its
// own catalog-key error (see Precheck).
func (s *Service) Accept(ctx context.Context, customerUserID int64, token string, agreed bool) (*Association, error) {
	return nil, errTODO
}

// ---- Switch and unbind (R14–R16; seed 003 §12.1.2.2, .9, .10, §12.4.3) ----

// RequestSwitch asks the customer to switch its mode (resale ⇄ consulting).
func (s *Service) RequestSwitch(ctx context.Context, p *access.Principal, customerID int64, reason string) (*Request, error) {
	return nil, errTODO
}

// RequestUnbind asks the customer to accept ending the association.
func (s *Service) RequestUnbind(ctx context.Context, p *access.Principal, customerID int64, reason string) (*Request, error) {
	return nil, errTODO
}

// CustomerRequestUnbind is the customer's unbinding application (at most
// 3 in 3 months, R15); only the partner admin decides it (R14).
func (s *Service) CustomerRequestUnbind(ctx context.Context, customerUserID int64, reason string) (*Request, error) {
	return nil, errTODO
}

// Consent is the customer's answer to a partner-initiated switch or
// unbinding.
func (s *Service) Consent(ctx context.Context, customerUserID, requestID int64, accept bool) (*Request, error) {
	return nil, errTODO
}

// Decide is the partner admin's answer to a customer-initiated unbinding
// (R14: only the main account; others get Forbidden).
func (s *Service) Decide(ctx context.Context, p *access.Principal, requestID int64, approve bool, note string) (*Request, error) {
	return nil, errTODO
}

// CancelRequest withdraws a pending partner-initiated request.
func (s *Service) CancelRequest(ctx context.Context, p *access.Principal, requestID int64) (*Request, error) {
	return nil, errTODO
}

// CustomerCancelRequest withdraws the customer's pending unbinding.
func (s *Service) CustomerCancelRequest(ctx context.Context, customerUserID, requestID int64) (*Request, error) {
	return nil, errTODO
}

// ---- Managers, list, detail, records, export (seed 003 §7.1.4, R57, R64) ----

// Managers lists the tenant's active members holding the preset 客户经理 role.
func (s *Service) Managers(ctx context.Context, p *access.Principal) ([]Manager, error) {
	return nil, errTODO
}

// Assign sets (managerUserID > 0) or clears (0) the manager of the
// tenant's active customers; it returns how many changed.
func (s *Service) Assign(ctx context.Context, p *access.Principal, customerIDs []int64, managerUserID int64) (int, error) {
	return 0, errTODO
}

// List is the 客户管理 list within the principal's data scope.
func (s *Service) List(ctx context.Context, p *access.Principal, f Filter) (*List, error) {
	return nil, errTODO
}

// Get is a customer's detail within the principal's data scope.
func (s *Service) Get(ctx context.Context, p *access.Principal, customerID int64) (*Detail, error) {
	return nil, errTODO
}

// Records is 关联关系操作记录 within the principal's data scope.
func (s *Service) Records(ctx context.Context, p *access.Principal, f RecordFilter) (*RecordList, error) {
	return nil, errTODO
}

// Export streams every row of the list (no paging) to fn, in list order.
func (s *Service) Export(ctx context.Context, p *access.Principal, f Filter, fn func(Row) error) error {
	return errTODO
}
