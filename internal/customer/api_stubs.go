package customer

import (
	"context"

	"partnercenter/internal/access"
)

// ---- Reports (报备, seed 003 §12.1.2.4, seed 001 报备规则) ----

// ---- Invitations (R10, R11; seed 003 §12.1.2.4–6, §12.4.14) ----

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
