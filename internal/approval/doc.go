// Package approval is the generic application engine: partners submit
// applications (HCPN onboarding now; certifications, benefits and manual
// reviews later), vendor staff decide them.
//
// An application has a type, an applicant tenant and user, a title, a
// JSON payload, attachments (files), automatic check results and a full
// history. Its state machine is
//
//	draft → submitted → approved | rejected (reason required)
//	                  → returned (退回补充材料, comment required) → submitted
//	                    (the applicant resubmits with a note and files; a
//	                    new due date, the same reviewer)
//	        submitted | returned → withdrawn (by the applicant)
//
// A type may review in stages (Staged: each stage a reviewer role and an
// SLA in working days). Approving a stage that is not the last moves the
// application to the next stage, its reviewer and due date (event
// advance); rejecting at any stage ends it; history rows carry the stage.
// The vendor administrator reassigns open applications (Reassign), and
// RemindReviewers (a River job every hour, sending at most once a China
// day from 09:00) tells each reviewer how many of its applications are
// due tomorrow or overdue — the seeds say only that reminders are
// automatic on the vendor's side (§9.1); the schedule is inferred.
// Returns, stages and reassignment are build-plan 1.A (issue 11).
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
