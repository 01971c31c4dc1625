// Package arch holds the architecture's own tests: rules about the code
// base that no single package can check for itself (docs/ARCHITECTURE.md).
//
//   - Table ownership: every table is written by exactly one package (its
//     owner, listed in Owners), and other packages do not select from it
//     directly; a report query may JOIN another package's table for its
//     display columns. The demo world and test helpers are exempt: they
//     build whole worlds at once.
//
// The checks read the Go sources as text (SQL strings and gorm Table
// calls). They cannot see writes through another package's gorm model
// types; those are caught in review, and the owner's package is the only
// one that declares a model for its table.
package arch

// Owners maps each table to the package (path below internal/) that owns
// it: the only one that writes it and selects from it directly.
var Owners = map[string]string{
	"users": "identity", "user_sessions": "identity", "login_failures": "identity",
	"roles": "access", "role_items": "access",
	"user_roles": "org",
	"partners":   "partner", "partner_identities": "partner",
	"applications": "approval", "application_events": "approval", "application_attachments": "approval",
	"calendar_days": "approval",
	"customers":     "customer", "associations": "customer", "association_requests": "customer",
	"customer_reports": "customer", "invitations": "customer", "settings": "customer",
	"billing_settings": "funds", "withdrawals": "funds",
	"ledger_accounts": "ledger", "ledger_entries": "ledger", "ledger_transactions": "ledger", "ledger_requests": "ledger",
	"consumption_records": "consumption", "consumption_rollups": "consumption", "consumption_months": "consumption", "consumption_customer_months": "consumption", "consumption_imports": "consumption",
	"consumption_import_rejects": "consumption", "association_counts": "customer", "consumption_import_reject_lines": "consumption", "consumption_import_stage": "consumption",
	"association_search": "customer", "business_infos": "bizinfo", "supplier_bank_records": "bizinfo",
	"invoices": "invoice", "invoice_bills": "invoice", "invoice_documents": "invoice", "invoice_infos": "invoice",
	"program_memberships": "program", "program_assessments": "program", "reseller_invitations": "program",
	"performance_records": "performance", "performance_summaries": "performance", "performance_state": "performance", "performance_rollups": "performance", "performance_months": "performance", "performance_pending": "performance",
	"indicator_definitions": "performance", "indicators": "performance",
	"incentive_policies": "incentive", "incentive_bills": "incentive", "incentive_details": "incentive",
	"incentive_items": "incentive", "payment_applications": "incentive", "incentive_settings": "incentive",
	"incentive_invoices": "incentive", "incentive_nettings": "incentive",
	"events": "events", "opportunities": "opportunity", "ho_opportunities": "opportunity", "partner_offerings": "opportunity",
	"outbox_messages": "outbox", "outbox_attempts": "outbox", "message_settings": "outbox",
	"webhook_endpoints": "webhook", "webhook_cursor": "webhook", "library_documents": "library",
	"deals": "opportunity", "deal_progress": "opportunity",
	"password_resets":  "recovery",
	"benefit_policies": "benefit", "benefit_applications": "benefit", "benefit_vouchers": "benefit", "person_vouchers": "benefit",
	"personal_profiles": "people", "specialist_invitations": "people", "specialist_links": "people", "project_specialists": "people",
	"personal_certificates": "people",
	"nre_solutions":         "nre", "nre_applications": "nre", "nre_milestones": "nre",
	"fh_programs": "fh", "fh_persons": "fh", "fh_months": "fh", "fh_lines": "fh", "fh_payments": "fh",
	"fh_scenario_tiers": "fh", "fh_standards": "fh", "fh_appraisals": "fh", "fh_line_appraisals": "fh", "fh_gradings": "fh",
	"mdf_caps": "mdf", "mdf_quotas": "mdf", "mdf_violations": "mdf", "mdf_usages": "mdf", "mdf_claims": "mdf",
	"path_enrollments": "paths", "path_invitations": "paths", "solution_certifications": "paths", "path_campaigns": "paths",
	"contracts":    "contract",
	"export_tasks": "export",
	"files":        "files",
	"blobs":        "platform/blob", "blob_chunks": "platform/blob",
	"messages":  "notify",
	"audit_log": "audit",
	// River's own tables, migrated by River's migrator.
	"river_job": "platform/jobs", "river_leader": "platform/jobs", "river_queue": "platform/jobs",
	"river_migration": "platform/jobs", "river_notification": "platform/jobs", "river_client": "platform/jobs",
	"river_client_queue": "platform/jobs",
}
