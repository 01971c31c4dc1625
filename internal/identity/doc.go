// Package identity owns accounts and how people prove who they are:
// users (partner main accounts, organization members, vendor staff),
// Argon2id password hashing, sign-in with throttling of repeated failures,
// and the server-side session store behind gorilla/sessions (revocable,
// rotated at sign-in, idle and absolute timeouts).
package identity
