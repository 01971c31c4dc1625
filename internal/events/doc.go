// Package events is the outbox of webhook-ready events (build-plan 5.F;
// issue 13): a change a partner cares about records its event with the
// caller's transaction (Record), so the event exists exactly when the
// change does, never for a change that rolled back. Each event carries
// what a webhook payload needs — id, type, occurred_at, partner_id, data.
// Delivery to the partner's endpoints (HMAC signatures, River retries, the
// delivery log) reads the table in order of id; until it exists the table
// is the partner's change history in machine form.
//
// Owns: events.
package events
