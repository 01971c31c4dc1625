package customer

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// DealCustomer is a customer a partner may record a 商机 for: a sub-customer
// of the partner or of one of its cloud resellers (seed 002 L17), in the
// customer manager's scope.
type DealCustomer struct {
	CustomerID  int64
	PartnerID   int64 // the partner the customer is associated with
	Name        string
	AccountName string
	Industry    string
	PartnerName string
}

// dealCustomers is the query of DealCustomers and DealCustomerOf: the
// active associations of the tenant (in the manager's scope) and, for a
// principal who sees every customer, of its resellers.
func dealCustomers(g *gorm.DB, p *access.Principal, resellers []int64) *gorm.DB {
	q := g.Table("associations a").Joins("JOIN customers c ON c.id = a.customer_id").Joins("JOIN partners pt ON pt.id = a.partner_id").
		Select("c.id AS customer_id, a.partner_id, c.name, c.account_name, c.industry, pt.name AS partner_name").Where("a.status = ?", AssociationActive)
	if cond, args := p.ManagerCondition("a.manager_user_id"); cond != "" {
		// A customer manager: its own customers (those it manages) only.
		return q.Where("a.partner_id = ?", p.PartnerID).Where(cond, args...)
	}
	return q.Where("a.partner_id IN ?", append([]int64{p.PartnerID}, resellers...))
}

// DealCustomers lists up to limit customers matching q (name or account)
// for the 商机 form.
func DealCustomers(ctx context.Context, g *gorm.DB, p *access.Principal, resellers []int64, q string, limit int) (_ []DealCustomer, err error) {
	defer apperr.Wrap(&err, "customer.DealCustomers")
	if _, err := p.Tenant(); err != nil {
		return nil, err
	}
	query := dealCustomers(g.WithContext(ctx), p, resellers)
	if q = strings.TrimSpace(q); q != "" {
		like := db.Contains(q)
		query = query.Where("(c.name ILIKE ? OR c.account_name ILIKE ?)", like, like)
	}
	var out []DealCustomer
	err = query.Order("c.name, c.id").Limit(limit).Scan(&out).Error
	return out, err
}

// DealCustomerOf is one customer the principal may record a 商机 for (else
// the field's refusal).
func DealCustomerOf(ctx context.Context, g *gorm.DB, p *access.Principal, resellers []int64, customerID int64) (_ *DealCustomer, err error) {
	defer apperr.Wrap(&err, "customer.DealCustomerOf(%d)", customerID)
	var out []DealCustomer
	if err := dealCustomers(g.WithContext(ctx), p, resellers).Where("c.id = ?", customerID).Limit(1).Scan(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, apperr.FieldError("customer_id", "deal.err.customer")
	}
	return &out[0], nil
}
