package customer

import (
	"context"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

func normalizeRegister(in *RegisterInput) apperr.Fields {
	in.LoginName = clean(in.LoginName)
	in.Name = clean(in.Name)
	in.Kind = clean(in.Kind)
	in.RealName = clean(in.RealName)
	in.CreditCode = partner.NormalizeCreditCode(in.CreditCode)
	in.Mobile = clean(in.Mobile)
	in.Email = clean(in.Email)
	in.EnterpriseMaster = clean(in.EnterpriseMaster)
	if in.RealName == "" {
		in.RealName = RealNameNone
	}
	f := apperr.Fields{}
	if !identity.ValidLoginName(in.LoginName) {
		f.Add("login_name", "customer.err.login_name")
	}
	if key := identity.ValidatePassword(in.Password, in.LoginName); key != "" {
		f.Add("password", key)
	}
	switch n := runes(in.Name); {
	case n == 0:
		f.Add("name", "customer.err.name_required")
	case n > MaxCustomerNameLen:
		f.Add("name", "customer.err.name_too_long")
	}
	switch in.Kind {
	case KindPersonal:
		in.CreditCode = ""
		if in.RealName == RealNameEnterprise {
			f.Add("real_name", "customer.err.real_name_kind")
		}
		if in.EnterpriseMaster != "" || in.FinanceHosted {
			f.Add("enterprise_master", "customer.err.master_personal")
		}
	case KindEnterprise:
		if in.RealName == RealNamePersonal {
			f.Add("real_name", "customer.err.real_name_kind")
		}
		// Enterprise real-name verification identifies the company.
		if in.CreditCode == "" && in.RealName == RealNameEnterprise {
			f.Add("credit_code", "customer.err.credit_code_required")
		} else if in.CreditCode != "" && !partner.ValidCreditCode(in.CreditCode) {
			f.Add("credit_code", "customer.err.credit_code")
		}
	default:
		f.Add("kind", "customer.err.kind")
	}
	switch in.RealName {
	case RealNameNone, RealNamePersonal, RealNameEnterprise:
	default:
		f.Add("real_name", "customer.err.real_name")
	}
	if in.Mobile == "" {
		f.Add("mobile", "customer.err.mobile_required")
	} else if !identity.ValidMobile(in.Mobile) {
		f.Add("mobile", "customer.err.mobile")
	}
	if in.Email != "" && !identity.ValidEmail(in.Email) {
		f.Add("email", "customer.err.email")
	}
	if in.FinanceHosted && in.EnterpriseMaster == "" {
		f.Add("enterprise_master", "customer.err.hosted_needs_master")
	}
	return f
}

// Register creates a customer account: a users row (kind customer) that
// signs in to the console and its customers row, registered now (the
// registration date the 7-day rules read). Field errors: the login name,
// email and mobile must be free across every account (identity keys), the
// enterprise master must be an existing enterprise master account.
func (s *Service) Register(ctx context.Context, in RegisterInput) (_ *Customer, err error) {
	defer apperr.Wrap(&err, "customer.Register")
	f := normalizeRegister(&in)
	now := s.now()
	var out *Customer
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		if err := identity.CheckAvailable(ctx, tx, identity.Claim{LoginName: in.LoginName, Email: in.Email, Mobile: in.Mobile}, f); err != nil {
			return err
		}
		if _, bad := f["login_name"]; !bad {
			var n int64
			if err := tx.WithContext(ctx).Model(&Customer{}).Where("lower(account_name) = lower(?)", in.LoginName).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				f.Add("login_name", identity.ErrLoginTaken)
			}
		}
		var masterID *int64
		if in.EnterpriseMaster != "" {
			var m []Customer
			if err := tx.WithContext(ctx).Where("lower(account_name) = lower(?) AND kind = ? AND enterprise_master_id IS NULL",
				in.EnterpriseMaster, KindEnterprise).Limit(1).Find(&m).Error; err != nil {
				return err
			}
			if len(m) == 0 {
				f.Add("enterprise_master", "customer.err.master_unknown")
			} else {
				masterID = &m[0].ID
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		hash, err := identity.HashPassword(in.Password)
		if err != nil {
			return err
		}
		u := identity.User{Kind: identity.KindCustomer, LoginName: in.LoginName, DisplayName: in.Name,
			Email: identity.Ptr(in.Email), Mobile: identity.Ptr(in.Mobile), PasswordHash: hash, Status: identity.StatusActive,
			Locale: "zh-CN", PasswordChangedAt: now, CreatedAt: now, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(&u).Error; err != nil {
			return identity.TakenError(err)
		}
		c := &Customer{UserID: &u.ID, AccountName: in.LoginName, Name: in.Name, Kind: in.Kind, RealNameStatus: in.RealName,
			CreditCode: nilIfEmpty(in.CreditCode), Mobile: nilIfEmpty(in.Mobile), Email: nilIfEmpty(in.Email),
			RegisteredAt: now, EnterpriseMasterID: masterID, FinanceHosted: in.FinanceHosted, CreatedAt: now, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(c).Error; err != nil {
			if _, ok := db.IsUniqueViolation(err); ok {
				return apperr.FieldError("login_name", identity.ErrLoginTaken)
			}
			return err
		}
		out = c
		return audit.Record(ctx, tx, audit.Change{Action: "customer.account.register", ObjectType: "customer", ObjectID: c.ID,
			After: map[string]any{"account_name": c.AccountName, "name": c.Name, "kind": c.Kind, "real_name": c.RealNameStatus,
				"mobile": in.Mobile, "email": in.Email, "enterprise_master_id": masterID, "finance_hosted": c.FinanceHosted}})
	})
	return out, err
}

// ByUser returns the customer of a console user (NotFound if none).
func (s *Service) ByUser(ctx context.Context, userID int64) (_ *Customer, err error) {
	defer apperr.Wrap(&err, "customer.ByUser(%d)", userID)
	return byUser(ctx, s.DB, userID, false)
}

func byUser(ctx context.Context, tx *gorm.DB, userID int64, lock bool) (*Customer, error) {
	if userID == 0 {
		return nil, apperr.NotFound()
	}
	var c Customer
	q := tx.WithContext(ctx)
	if lock {
		q = q.Clauses(forUpdate())
	}
	if err := q.Where("user_id = ?", userID).First(&c).Error; err != nil {
		return nil, notFoundIf(err)
	}
	return &c, nil
}

// current is the customer's active association as the console shows it.
func current(ctx context.Context, tx *gorm.DB, customerID int64) (*CurrentPartner, error) {
	var rows []CurrentPartner
	err := tx.WithContext(ctx).Raw(`SELECT a.id AS association_id, a.partner_id, p.name AS partner_name, a.mode, a.associated_at, a.status
		FROM associations a JOIN partners p ON p.id = a.partner_id WHERE a.customer_id = ? AND a.status = 'active'`, customerID).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0], nil
}

// Account is the console's 账号中心 view.
func (s *Service) Account(ctx context.Context, p *access.Principal) (_ *Account, err error) {
	defer apperr.Wrap(&err, "customer.Account")
	customerUserID, err := p.CustomerAccount()
	if err != nil {
		return nil, err
	}
	c, err := s.ByUser(ctx, customerUserID)
	if err != nil {
		return nil, err
	}
	a := &Account{Customer: *c, AgreementCurrent: c.AgreementVersion == AgreementVersion}
	users, err := identity.Users{DB: s.DB}.ByIDs(ctx, []int64{customerUserID})
	if err != nil {
		return nil, err
	}
	if u := users[customerUserID]; u != nil {
		a.LoginName = u.LoginName
	}
	if c.EnterpriseMasterID != nil {
		var names []string
		if err := s.DB.WithContext(ctx).Table("customers").Where("id = ?", *c.EnterpriseMasterID).Pluck("account_name", &names).Error; err != nil {
			return nil, err
		}
		if len(names) > 0 {
			a.MasterName = names[0]
		}
	}
	if a.Partner, err = current(ctx, s.DB, c.ID); err != nil {
		return nil, err
	}
	return a, nil
}

// MyPartners is the console's 我的合作伙伴 page (seed 003 §12.4.17–18):
// the partner, the association time and state, requests to handle
// (立即处理), the customer's own pending unbinding and the operation log.
func (s *Service) MyPartners(ctx context.Context, p *access.Principal) (_ *MyPartners, err error) {
	defer apperr.Wrap(&err, "customer.MyPartners")
	customerUserID, err := p.CustomerAccount()
	if err != nil {
		return nil, err
	}
	c, err := s.ByUser(ctx, customerUserID)
	if err != nil {
		return nil, err
	}
	out := &MyPartners{Customer: *c}
	if out.Current, err = current(ctx, s.DB, c.ID); err != nil {
		return nil, err
	}
	var rows []RequestRow
	if err := requestRows(s.DB.WithContext(ctx)).Where("ar.customer_id = ?", c.ID).
		Order("ar.requested_at DESC, ar.id DESC").Limit(200).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		fillRequestRow(&rows[i])
		r := rows[i]
		switch {
		case r.AwaitsCustomer:
			out.Pending = append(out.Pending, r)
		case r.Status == RequestPending && r.Initiator == InitiatorCustomer:
			out.Own = append(out.Own, r)
		}
	}
	out.Log = rows
	used, err := unbindsInWindow(ctx, s.DB, c.ID, s.now())
	if err != nil {
		return nil, err
	}
	if out.UnbindsLeft = MaxUnbindRequests - int(used); out.UnbindsLeft < 0 {
		out.UnbindsLeft = 0
	}
	return out, nil
}
