// Package web is the HTTP side of Partner Center on Echo v4: the route
// table (every route declares the permission item it needs), the
// middleware chain (request id and logs, security headers, server-side
// session, CSRF, sign-in and permission check), the error handler that
// turns typed errors into pages or htmx fragments, and the handlers,
// grouped by menu in files named <menu>_*.go. Handlers parse input, call
// one service method and render a view or redirect (POST → 303 → GET).
package web
