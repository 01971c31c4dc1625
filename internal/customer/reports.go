package customer

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// Field limits of a report.
const (
	MaxCustomerNameLen = 200
	MaxShortFieldLen   = 64
	MaxNotesLen        = 1000
)

// SetReportValidityDays changes the report protection period (1 to 3650
// days); existing reports keep their expiry.
func (s *Service) SetReportValidityDays(ctx context.Context, days int) (err error) {
	defer apperr.Wrap(&err, "customer.SetReportValidityDays")
	if days < 1 || days > 3650 {
		return apperr.FieldError("days", "customer.err.validity_days")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		before, err := validityDays(ctx, tx)
		if err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Exec(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
			SettingReportValidity, strconv.Itoa(days), s.now()).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{Action: "customer.settings.validity", ObjectType: "setting",
			Before: map[string]any{"days": before}, After: map[string]any{"days": days}})
	})
}

func normalizeReport(in *ReportInput) error {
	in.CustomerName = clean(in.CustomerName)
	in.Kind = clean(in.Kind)
	in.CreditCode = partner.NormalizeCreditCode(in.CreditCode)
	in.ContactName = clean(in.ContactName)
	in.Mobile = clean(in.Mobile)
	in.Email = clean(in.Email)
	in.Industry = clean(in.Industry)
	in.Region = clean(in.Region)
	in.Notes = strings.TrimSpace(in.Notes)
	if in.Kind == "" {
		in.Kind = KindEnterprise
	}
	f := apperr.Fields{}
	switch n := runes(in.CustomerName); {
	case n == 0:
		f.Add("customer_name", "customer.err.name_required")
	case n > MaxCustomerNameLen:
		f.Add("customer_name", "customer.err.name_too_long")
	}
	switch in.Kind {
	case KindEnterprise:
		// The unified social credit code identifies a company (matched
		// across partners); required for an enterprise.
		if in.CreditCode == "" {
			f.Add("credit_code", "customer.err.credit_code_required")
		} else if !partner.ValidCreditCode(in.CreditCode) {
			f.Add("credit_code", "customer.err.credit_code")
		}
	case KindPersonal:
		in.CreditCode = ""
	default:
		f.Add("kind", "customer.err.kind")
	}
	if runes(in.ContactName) > MaxShortFieldLen {
		f.Add("contact_name", "customer.err.too_long")
	}
	// The customer must register with the reported mobile (seed 003 §12.1.2.4).
	if in.Mobile == "" {
		f.Add("mobile", "customer.err.mobile_required")
	} else if !identity.ValidMobile(in.Mobile) {
		f.Add("mobile", "customer.err.mobile")
	}
	if in.Email != "" && !identity.ValidEmail(in.Email) {
		f.Add("email", "customer.err.email")
	}
	if runes(in.Industry) > MaxShortFieldLen {
		f.Add("industry", "customer.err.too_long")
	}
	if runes(in.Region) > MaxShortFieldLen {
		f.Add("region", "customer.err.too_long")
	}
	if runes(in.Notes) > MaxNotesLen {
		f.Add("notes", "customer.err.notes_too_long")
	}
	return f.Err()
}

// Review reasons (seed 001 报备规则: 以下客户伙伴可以申请人工审核报备).
const (
	ReasonRegistered = "registered_over_7_days" // the account was registered more than 7 days ago
	ReasonCash       = "cash_consumption"       // unassociated account with cash consumption
)

// matchExisting finds an existing customer account matching the report
// (name, credit code, email or mobile), the first by id.
func matchExisting(ctx context.Context, tx *gorm.DB, in ReportInput) (*Customer, error) {
	var cs []Customer
	q := tx.WithContext(ctx).Model(&Customer{}).
		Where("name ILIKE ? ESCAPE '\\'", strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(in.CustomerName)).
		Or("mobile = ?", in.Mobile)
	if in.CreditCode != "" {
		q = q.Or("credit_code = ?", in.CreditCode)
	}
	if in.Email != "" {
		q = q.Or("lower(email) = lower(?)", in.Email)
	}
	if err := q.Order("id").Limit(1).Find(&cs).Error; err != nil || len(cs) == 0 {
		return nil, err
	}
	return &cs[0], nil
}

// CreateReport reports a customer for the principal's tenant; it is
// protected until now + the validity period (seed 003 §12.1.2.4).
//
// Refused: the same customer (name case-insensitively, credit code, email
// or mobile) reported by another partner and still protected or in review
// ("customer.err.report_protected_other" with {{.Until}}, the partner is
// not named); already reported by this partner and still protected or in
// review ("customer.err.report_duplicate"); already this partner's
// customer; a finance-hosted enterprise sub-account (seed 001 不能报备).
//
// Sent to manual review (seed 001 可以申请人工审核报备) as an application
// "customer_report_review" for the partner's ecosystem manager, the report
// in_review: an existing account registered more than 7 days ago, or an
// existing account associated with no partner that has cash consumption
// (modelled as a positive cash balance).
func (s *Service) CreateReport(ctx context.Context, p *access.Principal, in ReportInput) (_ *Report, err error) {
	defer apperr.Wrap(&err, "customer.CreateReport")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if err := normalizeReport(&in); err != nil {
		return nil, err
	}
	now := s.now()
	var out *Report
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		// Two partners reporting the same customer at once: one waits.
		if err := lockKeys(ctx, tx, "n:"+strings.ToLower(in.CustomerName), "c:"+in.CreditCode,
			"e:"+strings.ToLower(in.Email), "m:"+in.Mobile); err != nil {
			return err
		}
		if err := checkReportConflict(ctx, tx, pid, in, now); err != nil {
			return err
		}
		days, err := validityDays(ctx, tx)
		if err != nil {
			return err
		}
		r := &Report{PartnerID: pid, CustomerName: in.CustomerName, CustomerKind: in.Kind, CreditCode: nilIfEmpty(in.CreditCode),
			ContactName: in.ContactName, Mobile: in.Mobile, Email: in.Email, Industry: in.Industry, Region: in.Region, Notes: in.Notes,
			Status: ReportProtected, ExpiresAt: now.AddDate(0, 0, days), ReportedBy: ptr(p.UserID), CreatedAt: now, UpdatedAt: now}

		existing, err := matchExisting(ctx, tx, in)
		if err != nil {
			return err
		}
		var reasons []ReviewReason
		if existing != nil {
			if existing.FinanceHosted {
				return apperr.Conflict("customer.err.report_hosted_sub")
			}
			var assoc []Association
			if err := tx.WithContext(ctx).Where("customer_id = ? AND status = ?", existing.ID, AssociationActive).Find(&assoc).Error; err != nil {
				return err
			}
			if len(assoc) > 0 && assoc[0].PartnerID == pid {
				return apperr.Conflict("customer.err.report_already_customer")
			}
			if existing.RegisteredAt.Before(now.AddDate(0, 0, -ReviewRegisteredDays)) {
				reasons = append(reasons, ReviewReason{Code: ReasonRegistered, Date: dateCN(existing.RegisteredAt)})
			}
			if len(assoc) == 0 && existing.CashBalance.IsPositive() {
				reasons = append(reasons, ReviewReason{Code: ReasonCash, Amount: existing.CashBalance.StringFixed(2)})
			}
		}
		if len(reasons) > 0 {
			r.Status = ReportInReview
		}
		if err := tx.WithContext(ctx).Create(r).Error; err != nil {
			return err
		}
		if len(reasons) > 0 {
			pl := ReviewPayload{ReportID: r.ID, CustomerName: r.CustomerName, Mobile: r.Mobile, Reasons: reasons}
			if existing != nil {
				pl.CustomerID = existing.ID
				pl.AccountName = existing.AccountName
			}
			app, err := approval.Engine{DB: s.DB, Clock: s.Clock}.SubmitNew(ctx, tx, p, approval.New{
				Type: ReviewTypeKey, Title: r.CustomerName, Payload: pl})
			if err != nil {
				return err
			}
			r.ApplicationID = &app.ID
			if err := tx.WithContext(ctx).Model(&Report{}).Where("id = ?", r.ID).Update("application_id", app.ID).Error; err != nil {
				return err
			}
		}
		out = r
		return audit.Record(ctx, tx, audit.Change{PartnerID: pid, Action: "customer.report.create", ObjectType: "customer_report",
			ObjectID: r.ID, After: reportSnapshot(r)})
	})
	return out, err
}

func reportSnapshot(r *Report) map[string]any {
	return map[string]any{"customer_name": r.CustomerName, "kind": r.CustomerKind, "credit_code": strOr(r.CreditCode),
		"mobile": r.Mobile, "email": r.Email, "status": r.Status, "expires_at": r.ExpiresAt}
}

// checkReportConflict refuses a report of a customer already reported and
// still protected (or in review), by another partner or by this one.
func checkReportConflict(ctx context.Context, tx *gorm.DB, pid int64, in ReportInput, now time.Time) error {
	var rows []Report
	q := tx.WithContext(ctx).Model(&Report{}).
		Where("status IN ?", []string{ReportProtected, ReportInReview}).
		Where("(status = ? OR expires_at > ?)", ReportInReview, now)
	match := tx.Where("lower(customer_name) = lower(?)", in.CustomerName).Or("mobile = ?", in.Mobile)
	if in.CreditCode != "" {
		match = match.Or("credit_code = ?", in.CreditCode)
	}
	if in.Email != "" {
		match = match.Or("lower(email) = lower(?)", in.Email)
	}
	if err := q.Where(match).Order("expires_at DESC").Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		if r.PartnerID == pid {
			return apperr.Conflict("customer.err.report_duplicate", map[string]any{"Until": dateCN(r.ExpiresAt)})
		}
	}
	if len(rows) > 0 {
		r := rows[0]
		if r.Status == ReportInReview {
			return apperr.Conflict("customer.err.report_in_review_other")
		}
		return apperr.Conflict("customer.err.report_protected_other", map[string]any{"Until": dateCN(r.ExpiresAt)})
	}
	return nil
}

const reportRowSelect = `customer_reports.*, COALESCE(NULLIF(u.display_name, ''), u.login_name, '') AS reported_by_name,
	(SELECT count(*) FROM invitations i WHERE i.report_id = customer_reports.id) AS invitations`

// ListReports lists the tenant's reports, newest first (status computed at now).
func (s *Service) ListReports(ctx context.Context, p *access.Principal, f ReportFilter) (_ *ReportList, err error) {
	defer apperr.Wrap(&err, "customer.ListReports")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	now := s.now()
	q := s.DB.WithContext(ctx).Table("customer_reports").Where("customer_reports.partner_id = ?", pid)
	switch f.Status {
	case "":
	case ReportProtected:
		q = q.Where("customer_reports.status = ? AND customer_reports.expires_at > ?", ReportProtected, now)
	case ReportExpired:
		q = q.Where("(customer_reports.status = ? OR (customer_reports.status = ? AND customer_reports.expires_at <= ?))", ReportExpired, ReportProtected, now)
	default:
		q = q.Where("customer_reports.status = ?", f.Status)
	}
	if v := clean(f.Q); v != "" {
		l := db.Contains(v)
		q = q.Where("(customer_reports.customer_name ILIKE ? OR customer_reports.contact_name ILIKE ? OR customer_reports.mobile LIKE ? OR customer_reports.email ILIKE ?)", l, l, l, l)
	}
	out := &ReportList{}
	if err := q.Session(&gorm.Session{}).Count(&out.Total).Error; err != nil {
		return nil, err
	}
	out.Page, out.Per, _ = paging(f.Page, f.Per)
	_, _, off := paging(f.Page, f.Per)
	var rows []ReportRow
	if err := q.Select(reportRowSelect).Joins("LEFT JOIN users u ON u.id = customer_reports.reported_by").
		Order("customer_reports.created_at DESC, customer_reports.id DESC").Limit(out.Per).Offset(off).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].Effective = rows[i].StatusAt(now)
	}
	out.Rows = rows
	return out, nil
}

// GetReport returns one report of the tenant.
func (s *Service) GetReport(ctx context.Context, p *access.Principal, id int64) (_ *ReportRow, err error) {
	defer apperr.Wrap(&err, "customer.GetReport(%d)", id)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	var rows []ReportRow
	if err := s.DB.WithContext(ctx).Table("customer_reports").Select(reportRowSelect).
		Joins("LEFT JOIN users u ON u.id = customer_reports.reported_by").
		Where("customer_reports.id = ? AND customer_reports.partner_id = ?", id, pid).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.NotFound()
	}
	rows[0].Effective = rows[0].StatusAt(s.now())
	return &rows[0], nil
}

// Expire marks protected reports whose protection ended and online
// invitations past their 7 days (R10) as expired. Reads compute the same
// state, so the sweep only makes the stored state catch up.
func (s *Service) Expire(ctx context.Context, now time.Time) (reports, invitations int64, err error) {
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		res := tx.WithContext(ctx).Model(&Report{}).Where("status = ? AND expires_at <= ?", ReportProtected, now).
			Updates(map[string]any{"status": ReportExpired, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		reports = res.RowsAffected
		res = tx.WithContext(ctx).Model(&Invitation{}).
			Where("channel = ? AND status IN ? AND expires_at <= ?", ChannelOnline, []string{InvitationSent, InvitationOpened}, now).
			Update("status", InvitationExpired)
		if res.Error != nil {
			return res.Error
		}
		invitations = res.RowsAffected
		if reports+invitations == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Change{Action: "customer.expire", ObjectType: "customer_report",
			After: map[string]any{"reports": reports, "invitations": invitations, "at": now}})
	})
	return reports, invitations, err
}
