// Package fh renders 权益 > 专职人员激励 (FH, seed 003 §10.6; issue 16): the
// partner's programme, funded persons, monthly applications and quarterly
// payments; the vendor's invitations; vendor finance's FH payments.
package fh

import (
	"time"

	"github.com/shopspring/decimal"

	core "partnercenter/internal/fh"
	"partnercenter/internal/partner"
	"partnercenter/views/components"
)

// PageVM is the partner's FH page.
type PageVM struct {
	P     *core.Page
	Month string // this month (or the one typed), YYYY-MM, for the submit form
	// The person form's role and city after a refusal.
	Role, City string
	Errors     map[string]string
	Summary    string
	Args       map[string]any
}

// VendorVM is the vendor's FH page.
type VendorVM struct {
	Programs []core.ProgramRow
	Partners []partner.DirectoryRow
	Errors   map[string]string
	Summary  string
}

// DeskVM is vendor finance's FH desk.
type DeskVM struct {
	Rows    []core.PaymentRow
	Key     string
	Failed  int64
	Summary string
}

func roleOptions() []components.Option {
	return components.OptionsOf("fh.role.", core.Roles, components.Option{Value: "", Label: "fh.choose"})
}

func baseline(role string) decimal.Decimal { return core.Baselines[role] }

func monthLabel(t time.Time) string { return t.Format("2006-01") }
