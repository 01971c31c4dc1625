// Package notify owns in-app messages (站内信): a service sends a message
// to a user inside its own transaction (Send), and the message center
// lists, opens and marks messages read. Messages store catalog keys and
// parameters, never rendered text, so each reader sees them in its own
// language; a parameter whose name ends in "Key" holds a catalog key that
// is translated too (TypeKey → Type).
//
// Marking a message read is the reader's own view state, not a business
// change, so it is not written to the audit trail (it would flood 操作日志
// with reads); sending is audited by the business transition that sends.
package notify
