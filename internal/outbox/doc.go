// Package outbox sends e-mail and SMS (build-plan 5.E; issue 14). A
// change that announces itself writes its message with the caller's
// transaction (ToUser, ToAddress), so a message exists exactly when the
// change does; a River job (Dispatch, every few seconds) delivers the due
// messages through pluggable senders — SMTP for e-mail, an HTTP gateway
// for SMS, or a sender that only logs (the default, and in tests) — with
// retries at growing intervals and a delivery log of every attempt.
//
// Rules it holds:
//   - 消息接收设置 (seed 003 §6.1.1): each user chooses, per channel (短信,
//     邮件, 站内信), whether to receive and the language and time zone its
//     messages are written in; without a choice a user receives every
//     channel in its console language, China time. Messages render when
//     sent, in the stored language: times (parameters ending in At) in
//     the stored time zone.
//   - delivery: at least once. A worker leases a message while it sends;
//     a worker that dies loses the lease after LeaseFor and another sends
//     it. A failed attempt is retried after 30 s, 1 min, 2 min … (at
//     most 6 h) until MaxAttempts; then the message is failed and stays in
//     the log.
//   - 站内信 stays in package notify; ToUser skips a channel the user turned
//     off, and notify is not affected by the e-mail and SMS settings.
//
// Why not a library: River already is the job queue; the outbox is two
// tables and a claim query. E-mail goes through github.com/wneessen/go-mail
// (STARTTLS, SMTP AUTH, MIME); the test runs a real SMTP server
// (github.com/emersion/go-smtp).
//
// Owns: outbox_messages, outbox_attempts, message_settings.
package outbox
