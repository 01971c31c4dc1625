// Package files owns uploaded files (licences, attachments, logos). They
// are stored in PostgreSQL (the files table), so app servers keep no
// state, and every file belongs to one tenant (files.partner_id): reads
// and deletes filter on it, and another tenant's file answers NotFound.
//
// A file's type is sniffed from its bytes (PDF, JPEG, PNG are accepted);
// the client's file name and Content-Type header are never trusted, the
// name is only kept, cleaned, for display.
package files
