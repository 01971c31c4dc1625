// Package platform groups the technical foundations every domain package
// stands on: configuration, the database handle and transactions, typed
// application errors, the message catalog, the clock and working-day
// calendar, and request-scoped metadata. Nothing under platform knows about
// partners, customers or money rules of the seeds.
package platform
