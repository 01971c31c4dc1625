package funds

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// Association modes as stored by internal/customer (seed 003 §12.1.2.1).
const (
	modeResale     = "resale"
	modeConsulting = "consulting"
)

// FundedCustomer is a customer with an active association to the tenant
// and the balance the tenant funded it with.
type FundedCustomer struct {
	CustomerID   int64
	AccountName  string
	Name         string
	Mode         string
	AssociatedAt time.Time
	Balance      decimal.Decimal
}

// CustomerFilter selects resale customers for the funds pages.
type CustomerFilter struct {
	Q          string
	OnlyFunded bool
	Page       int
	PerPage    int
}

// CustomerList is a page of resale customers.
type CustomerList struct {
	Rows  []FundedCustomer
	Total int64
	Page  int
}

// associated selects the active associations of partnerID, the tenant
// p.Tenant returned (within the principal's customer-manager scope, R57:
// access.Principal.ManagerCondition).
func associated(ctx context.Context, g *gorm.DB, partnerID int64, p *access.Principal) *gorm.DB {
	q := g.WithContext(ctx).Table("associations s").
		Joins("JOIN customers c ON c.id = s.customer_id").
		Joins("LEFT JOIN ledger_accounts la ON la.kind = 'customer_funded' AND la.partner_id = s.partner_id AND la.customer_id = s.customer_id").
		Where("s.partner_id = ? AND s.status = 'active'", partnerID)
	if cond, args := p.ManagerCondition("s.manager_user_id"); cond != "" {
		q = q.Where(cond, args...)
	}
	return q
}

const customerColumns = `c.id AS customer_id, c.account_name, c.name, s.mode, s.associated_at, coalesce(la.balance, 0) AS balance`

// Customers lists the tenant's resale (代售) customers with their funded
// balances: the only customers money can move to (seed 003 §12.1.3.3).
func (s Service) Customers(ctx context.Context, p *access.Principal, f CustomerFilter) (_ *CustomerList, err error) {
	defer apperr.Wrap(&err, "funds.Customers")
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	if f.PerPage <= 0 || f.PerPage > 100 {
		f.PerPage = PerPage
	}
	q := func() *gorm.DB {
		q := associated(ctx, s.DB, partnerID, p).Where("s.mode = ?", modeResale)
		if v := strings.TrimSpace(f.Q); v != "" {
			q = q.Where("(c.account_name ILIKE ? OR c.name ILIKE ?)", likeEscape(v), likeEscape(v))
		}
		if f.OnlyFunded {
			q = q.Where("la.balance > 0")
		}
		return q
	}
	out := &CustomerList{Page: f.Page}
	if err := q().Count(&out.Total).Error; err != nil {
		return nil, err
	}
	err = q().Select(customerColumns).Order("s.associated_at DESC, c.id DESC").
		Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Scan(&out.Rows).Error
	return out, err
}

// CustomersByID returns the tenant's actively associated customers with
// these ids, in ascending id order. An id that is not the tenant's (or
// not in the principal's scope) is apperr.NotFound: nothing tells whether
// it exists elsewhere. With lock, the association rows are share-locked,
// so an unbinding cannot end them until this transaction commits (and
// its recovery then sees the moved money).
func customersByID(ctx context.Context, g *gorm.DB, p *access.Principal, ids []int64, lock bool) ([]FundedCustomer, error) {
	partnerID, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	uniq := uniqueSorted(ids)
	if len(uniq) == 0 {
		return nil, apperr.NotFound()
	}
	q := associated(ctx, g, partnerID, p).Where("s.customer_id IN ?", uniq).Select(customerColumns).Order("c.id")
	if lock {
		q = q.Clauses(lockingOf("SHARE", "s"))
	}
	var rows []FundedCustomer
	if err := q.Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) != len(uniq) {
		return nil, apperr.NotFound()
	}
	return rows, nil
}

// CustomersByID is customersByID without locks, for forms.
func (s Service) CustomersByID(ctx context.Context, p *access.Principal, ids []int64) (_ []FundedCustomer, err error) {
	defer apperr.Wrap(&err, "funds.CustomersByID")
	return customersByID(ctx, s.DB, p, ids, false)
}

func uniqueSorted(ids []int64) []int64 {
	out := db.IDs(ids)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
