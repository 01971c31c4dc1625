// Package apperr defines the typed errors that services return and the web
// layer maps to pages: not found, forbidden, invalid input with field
// errors, conflict, too many requests. Messages are catalog keys, so the
// page shows them in the reader's language.
package apperr

import (
	"errors"
	"fmt"
	"sort"
)

// Kind classifies an application error.
type Kind int

const (
	KindNotFound Kind = iota + 1
	KindForbidden
	KindInvalid
	KindConflict
	KindTooMany
	KindUnauthenticated
)

// Error is an error a user may see. Key is a message-catalog id; Args fill
// its template. Fields holds per-field message keys for form validation.
type Error struct {
	Kind   Kind
	Key    string
	Args   map[string]any
	Fields map[string]string
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Key, e.Err)
	}
	return e.Key
}

func (e *Error) Unwrap() error { return e.Err }

// NotFound is returned for a missing object and for another tenant's
// object alike (never reveal that it exists).
func NotFound() *Error { return &Error{Kind: KindNotFound, Key: "error.not_found"} }

// Forbidden is returned when the actor lacks a permission item.
func Forbidden() *Error { return &Error{Kind: KindForbidden, Key: "error.forbidden"} }

// Unauthenticated asks the user to sign in.
func Unauthenticated() *Error { return &Error{Kind: KindUnauthenticated, Key: "error.sign_in"} }

// Invalid is a whole-form validation failure with a summary key.
func Invalid(key string, args ...map[string]any) *Error {
	e := &Error{Kind: KindInvalid, Key: key, Fields: map[string]string{}}
	if len(args) > 0 {
		e.Args = args[0]
	}
	return e
}

// Conflict reports a state that forbids the operation (already decided,
// name taken, ...).
func Conflict(key string, args ...map[string]any) *Error {
	e := &Error{Kind: KindConflict, Key: key}
	if len(args) > 0 {
		e.Args = args[0]
	}
	return e
}

// TooMany reports throttling.
func TooMany(key string, args ...map[string]any) *Error {
	e := &Error{Kind: KindTooMany, Key: key}
	if len(args) > 0 {
		e.Args = args[0]
	}
	return e
}

// Fields collects field errors; Err returns nil when there are none.
type Fields map[string]string

// Add records the first error of a field.
func (f Fields) Add(field, key string) {
	if _, ok := f[field]; !ok {
		f[field] = key
	}
}

// Err returns an Invalid error holding the field errors, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	e := Invalid("error.form_invalid")
	for k, v := range f {
		e.Fields[k] = v
	}
	return e
}

// FieldError is a single-field validation error.
func FieldError(field, key string) *Error {
	e := Invalid("error.form_invalid")
	e.Fields[field] = key
	return e
}

// As extracts an *Error.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err is an application error of kind k.
func Is(err error, k Kind) bool {
	e, ok := As(err)
	return ok && e.Kind == k
}

// MessageKey is the one message that stands for an error where only one
// can be shown (a toast after a refused action): the error of the first
// field in name order when there are field errors, else Key. The choice
// is deterministic, unlike ranging over Fields.
func (e *Error) MessageKey() string {
	if len(e.Fields) == 0 {
		return e.Key
	}
	names := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		names = append(names, k)
	}
	sort.Strings(names)
	return e.Fields[names[0]]
}

// Wrap adds the operation and its ids to a non-nil error, at a package
// boundary (pkgsite's derrors.Wrap):
//
//	func (s Service) Issue(ctx context.Context, p *access.Principal, id int64) (err error) {
//		defer apperr.Wrap(&err, "invoice.Issue(%d)", id)
//
// so a logged 500 says where it failed. Typed errors stay reachable through
// errors.As (As, Is), so the page still shows their message.
func Wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
