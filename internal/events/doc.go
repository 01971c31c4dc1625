// Package events is the outbox of webhook-ready events (build-plan 5.F;
// issue 13): a change a partner cares about records its event with the
// caller's transaction (Record), so the event exists exactly when the
// change does, never for a change that rolled back. Each event carries
// what a webhook payload needs — id, type, occurred_at, partner_id, data.
// Package webhook reads the table in order of id (After) and delivers each
// event to the partner's subscribed endpoints through the outbox.
//
// Owns: events.
package events
