// Package identity owns accounts and how people prove who they are:
// users (partner main accounts, organization members, vendor staff),
// Argon2id password hashing, sign-in with throttling of repeated failures,
// and the server-side session store behind gorilla/sessions (revocable,
// rotated at sign-in, idle and absolute timeouts).
//
// identity owns the users table: other packages read users through it
// (reads.go: display names, users, main accounts and member counts for a
// batch of ids, a tenant's active members, the supervision tree, the
// ecosystem managers and the onboarding reviewer pool), one query per
// batch, never one per row.
package identity
