// Package customer owns a partner's customers (seed 003 §12.1.2, §12.4):
//
//   - reports (报备) that protect a partner's claim for a validity period
//     (a setting, default 90 days), conflicts across partners, and the
//     manual reviews (approval type "customer_report_review");
//   - invitations: online (emailed, link valid 7 days, re-invitable, R10)
//     and offline (link and QR code, no expiry, but only an account created
//     within 7 days may associate through it, R11);
//   - customer cloud accounts (users.kind 'customer' + customers row) that
//     sign in to the customer console;
//   - associations (exactly one active partner per customer, R9) in resale
//     (代售) or consulting (顾问销售) mode, their pre-checks (R9–R13) and
//     acceptance;
//   - switching mode and unbinding (R14–R16) through association requests
//     (关联关系操作记录), whose side effects ALL run through Service.apply
//     (transitions.go) so billing can add its hooks there;
//   - customer managers, data scopes (seed 003 §7.1.4, R57), the customer
//     list, detail, records and export, and a master distributor's view of
//     its cloud resellers' customers (R64, R74–R76).
//
// Every method takes the acting principal (partner pages) or the customer
// user id (console) first, filters on the tenant, answers another
// tenant's object with apperr.NotFound, and makes each state change in one
// transaction with audit.Record. Time comes from the injectable Clock.
// There is no HTTP or HTML here.
package customer
