// Package approval is the generic application engine: partners submit
// applications (HCPN onboarding now; certifications, benefits and manual
// reviews later), vendor staff decide them.
//
// An application has a type, an applicant tenant and user, a title, a
// JSON payload, attachments (files), automatic check results and a full
// history. Its state machine is
//
//	draft → submitted → approved | rejected (reason required)
//	                  → withdrawn (by the applicant, only while submitted)
//
// Each transition runs in one transaction: the row is locked (SELECT ...
// FOR UPDATE), the state is guarded (UPDATE ... WHERE state = 'submitted'
// must hit one row, so a second decision is refused), one
// application_events row and one audit row are written, the type's hook
// runs and the applicant (or the reviewer) gets a 站内信.
//
// A type plugs in by implementing Type (embed Base for no-op hooks) and
// calling Register from an init function; optional interfaces add a
// reviewer choice (ReviewerPicker) and type-specific message keys
// (Noticer).
//
// Due dates count working days (weekends skipped, calendar_days holidays
// and make-up working days honoured). The reviewer is the partner's
// ecosystem manager, or the ecosystem manager with the fewest open
// applications. Vendor staff see: vendor_admin everything, an ecosystem
// manager the applications assigned to it and those of the partners it is
// responsible for; anything else answers 404.
//
// Every method takes the acting *access.Principal first: partner methods
// derive the tenant with its Tenant guard, vendor methods require Staff;
// a principal of the wrong kind finds nothing (404, like another
// tenant's application) and changes nothing. Automatic steps act as
// access.System; the history names the actor by its login name.
package approval
