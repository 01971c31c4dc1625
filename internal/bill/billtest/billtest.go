// Package billtest writes consumption rows for tests and benchmarks of
// the partner bill and its exports: plain SQL that satisfies the CHECKs of
// consumption_records (charged = trunc(payable, 2), 抹零 = the rest, the
// payment split sums to the charge, refunds negative).
package billtest

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
)

var seq atomic.Int64

func uniq() int64 { return seq.Add(1)*100000 + time.Now().UnixNano()%100000 }

// Tenant is an active partner with a main account and customers.
type Tenant struct {
	ID        int64
	Name      string
	UserID    int64
	Customers []int64
}

// Member is the main account's principal, to call the bill's services as
// the tenant.
func (tn *Tenant) Member() *access.Principal { return access.Member(tn.UserID, tn.ID, true) }

// NewTenant creates an active partner, its main account and n customers.
func NewTenant(t testing.TB, g *gorm.DB, customers int) *Tenant {
	t.Helper()
	n := uniq()
	tn := &Tenant{Name: fmt.Sprintf("账单测试伙伴%d", n)}
	if err := g.Raw(`INSERT INTO partners (name, credit_code, status) VALUES (?, ?, 'active') RETURNING id`,
		tn.Name, fmt.Sprintf("%018d", n)).Scan(&tn.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := g.Raw(`INSERT INTO users (kind, partner_id, login_name, password_hash, is_main) VALUES ('partner', ?, ?, 'x', true) RETURNING id`,
		tn.ID, fmt.Sprintf("bill%d", n)).Scan(&tn.UserID).Error; err != nil {
		t.Fatal(err)
	}
	if err := g.Raw(`INSERT INTO customers (account_name, name, kind, registered_at)
		SELECT 'bill_cust_' || ? || '_' || i, '账单客户' || ? || '-' || i, 'enterprise', now() FROM generate_series(1, ?) i
		RETURNING id`, fmt.Sprint(n), fmt.Sprint(n), customers).Scan(&tn.Customers).Error; err != nil {
		t.Fatal(err)
	}
	return tn
}

// Row is one consumption line. Amounts are decimal strings; Cash is what
// remains of the charge after Voucher, Card and Arrears.
type Row struct {
	Customer    int64
	Mode        string // resale (default) or consulting
	Type        string // consumption (default), refund, adjustment
	Period      string // 2006-01
	At          time.Time
	Product     string
	Resource    string
	BillingMode string // on_demand (default) or yearly_monthly
	ListPrice   string
	Discount    string
	Voucher     string
	Card        string
	Arrears     string
}

// Insert writes rows for the partner.
func Insert(t testing.TB, g *gorm.DB, partnerID int64, rows ...Row) {
	t.Helper()
	for _, r := range rows {
		def := func(s *string, v string) {
			if *s == "" {
				*s = v
			}
		}
		def(&r.Mode, "resale")
		def(&r.Type, "consumption")
		def(&r.BillingMode, "on_demand")
		def(&r.Resource, "")
		def(&r.Discount, "0")
		def(&r.Voucher, "0")
		def(&r.Card, "0")
		def(&r.Arrears, "0")
		if r.At.IsZero() {
			p, _ := time.Parse("2006-01", r.Period)
			r.At = p.Add(36 * time.Hour)
		}
		err := g.Exec(`INSERT INTO consumption_records (partner_id, customer_id, mode, bill_type, billing_period, transaction_at,
			signing_entity, product_type, product_name, resource_type, billing_mode, list_price, discount_amount, amount_payable,
			charged_amount, rounding_off, cash_paid, voucher_paid, card_paid, arrears, source_ref)
			SELECT ?, ?, ?, ?, (? || '-01')::date, ?, 'cloud', ?, ?, ?, ?, lp, disc, lp - disc, trunc(lp - disc, 2),
				(lp - disc) - trunc(lp - disc, 2), trunc(lp - disc, 2) - v - c - a, v, c, a, ?
			FROM (SELECT ?::numeric AS lp, ?::numeric AS disc, ?::numeric AS v, ?::numeric AS c, ?::numeric AS a) x`,
			partnerID, r.Customer, r.Mode, r.Type, r.Period, r.At, r.Product, r.Product, r.Resource, r.BillingMode,
			fmt.Sprintf("bt-%d", uniq()), r.ListPrice, r.Discount, r.Voucher, r.Card, r.Arrears).Error
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Generate writes n rows for the partner's customers in period with one
// INSERT … SELECT generate_series: every 20th row a refund, the rest
// consumption over four product types, spread over the month.
func Generate(t testing.TB, g *gorm.DB, partnerID int64, customers []int64, period string, n int) {
	t.Helper()
	generate(t, g, partnerID, customers, period, period+"-01", 2592000, n)
}

// GenerateDay writes n lines as Generate does, all of one day (China
// time): a day's import.
func GenerateDay(t testing.TB, g *gorm.DB, partnerID int64, customers []int64, day time.Time, n int) {
	t.Helper()
	cst := time.FixedZone("CST", 8*3600)
	d := day.In(cst)
	generate(t, g, partnerID, customers, d.Format("2006-01"), d.Format("2006-01-02")+" 00:00:00+08", 86400, n)
}

// generate writes n lines of a period whose times run from start over
// spread seconds.
func generate(t testing.TB, g *gorm.DB, partnerID int64, customers []int64, period, start string, spread, n int) {
	t.Helper()
	prefix := fmt.Sprintf("gen-%d-", uniq())
	arr := "{"
	for i, c := range customers {
		if i > 0 {
			arr += ","
		}
		arr += fmt.Sprint(c)
	}
	arr += "}"
	err := g.Exec(`INSERT INTO consumption_records (partner_id, customer_id, mode, bill_type, billing_period, transaction_at,
			signing_entity, order_no, product_type, product_name, resource_type, resource_id, region, billing_mode,
			list_price, discount_amount, amount_payable, charged_amount, rounding_off, cash_paid, voucher_paid, card_paid,
			arrears, source_ref)
		SELECT ?, (?::bigint[])[1 + i % cardinality(?::bigint[])], CASE WHEN i % 7 = 0 THEN 'consulting' ELSE 'resale' END, bt,
			(? || '-01')::date, ?::timestamptz + (i % ?) * interval '1 second', 'cloud', 'CS' || i,
			(ARRAY['云硬盘', '弹性云服务器', '对象存储服务', '云审计服务'])[1 + i % 4], '产品' || (i % 50),
			(ARRAY['云硬盘-通用型SSD', '通用计算型', '标准存储', ''])[1 + i % 4], 'res-' || i, 'cn-north-4',
			CASE WHEN i % 3 = 0 THEN 'yearly_monthly' ELSE 'on_demand' END,
			lp, disc, lp - disc, trunc(lp - disc, 2), (lp - disc) - trunc(lp - disc, 2), trunc(lp - disc, 2), 0, 0, 0, ? || i
		FROM (SELECT i, CASE WHEN i % 20 = 0 THEN 'refund' ELSE 'consumption' END AS bt,
				(CASE WHEN i % 20 = 0 THEN -1 ELSE 1 END) * round((i % 9973) * 0.00731 + 0.01234567, 8) AS lp,
				(CASE WHEN i % 20 = 0 THEN -1 ELSE 1 END) * round((i % 9973) * 0.00731 * 0.05, 8) AS disc
			FROM generate_series(1, ?) i) s`,
		partnerID, arr, arr, period, start, spread, prefix, n).Error
	if err != nil {
		t.Fatal(err)
	}
}
