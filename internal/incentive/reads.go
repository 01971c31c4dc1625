package incentive

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/performance"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// PerPage is the page size of 激励汇总 and 激励明细.
const PerPage = 20

// BillRow is a bill with its policy's name (激励名称).
type BillRow struct {
	Bill
	PolicyName string
}

// BillFilter narrows 激励汇总: period code, status, policy name (part).
type BillFilter struct {
	Period, Status, Name string
	Page, Per            int
}

// Bills reads a page of the actor's tenant's bills, newest period first,
// with the total.
func (s Service) Bills(ctx context.Context, p *access.Principal, f BillFilter) (_ []BillRow, _ int64, err error) {
	defer apperr.Wrap(&err, "incentive.Bills")
	pid, err := tenantOf(p)
	if err != nil {
		return nil, 0, err
	}
	q := s.DB.WithContext(ctx).Table("incentive_bills b").Joins("JOIN incentive_policies ip ON ip.id = b.policy_id").
		Where("b.partner_id = ?", pid)
	if c := strings.ToUpper(strings.TrimSpace(f.Period)); c != "" {
		q = q.Where("b.period_code = ?", c)
	}
	if f.Status != "" {
		q = q.Where("b.status = ?", f.Status)
	}
	if n := strings.TrimSpace(f.Name); n != "" {
		q = q.Where("strpos(ip.name, ?) > 0", n)
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	per := f.Per
	if per <= 0 || per > 100 {
		per = PerPage
	}
	var rows []BillRow
	err = q.Select("b.*, ip.name AS policy_name").Order("b.period_start DESC, ip.id, b.created_at").
		Limit(per).Offset((max(f.Page, 1) - 1) * per).Scan(&rows).Error
	return rows, total, err
}

// BillView is one bill with its policy (激励账单 > 查看核算过程).
type BillView struct {
	BillRow
	Policy Policy
	Calc   Calc
}

// Bill reads one bill of the actor's tenant (vendor staff: of a partner
// it may see), else 404.
func (s Service) Bill(ctx context.Context, p *access.Principal, id string) (_ *BillView, err error) {
	defer apperr.Wrap(&err, "incentive.Bill(%s)", id)
	b, err := s.findBill(ctx, s.DB, p, id)
	if err != nil {
		return nil, err
	}
	v := &BillView{BillRow: BillRow{Bill: *b}, Calc: b.Calculation()}
	if err := s.DB.WithContext(ctx).Where("id = ?", b.PolicyID).First(&v.Policy).Error; err != nil {
		return nil, err
	}
	v.PolicyName = v.Policy.Name
	return v, nil
}

// DetailRow is a line of 激励明细 with its display names.
type DetailRow struct {
	Detail
	PeriodCode      string
	PolicyName      string // 产品激励策略
	PolicyKind      string
	BillAdjustment  string          // the bill's 调整类型
	Ratio           decimal.Decimal // the bill's ratio (percent): 返点规则
	CustomerName    string
	CustomerAccount string
	ResellerName    string
}

// RuleKey is the catalog key of a line's 返点规则 (its argument: Ratio,
// the bill's ratio in percent): a growth incentive pays the ratio of the
// increment spread over the lines, a threshold incentive the ratio of the
// performance; a reverse adjustment spreads the difference it settles
// over its lines.
func (r *DetailRow) RuleKey() string {
	if r.BillAdjustment != "" && r.BillAdjustment != AdjustNormal {
		return "incentive.rule.adjustment"
	}
	if r.PolicyKind == KindGrowth {
		return "incentive.rule.growth"
	}
	return "incentive.rule.threshold"
}

// DetailFilter narrows 激励明细: the bill, customer (name or account),
// product (part of the name or type), or one performance record (业绩明细's
// 查看激励).
type DetailFilter struct {
	BillID, Customer, Product string
	RecordID                  int64 `json:",omitempty"`
	Page, Per                 int
}

// detailQuery is the actor's tenant's incentive lines of a filter in its
// data scope (a customer manager: its customers'). It reads only
// incentive_details, so a count walks its index; withNames adds the
// display joins for the rows a page or an export selects.
func (s Service) detailQuery(ctx context.Context, p *access.Principal, f DetailFilter) (*gorm.DB, error) {
	pid, err := tenantOf(p)
	if err != nil {
		return nil, err
	}
	q := s.DB.WithContext(ctx).Table("incentive_details d").Where("d.partner_id = ?", pid)
	if cond, args := p.CustomerCondition("d.customer_id"); cond != "" {
		q = q.Where(cond, args...)
	}
	if f.RecordID > 0 {
		q = q.Where("d.record_id = ?", f.RecordID)
	}
	if validUUID(f.BillID) {
		q = q.Where("d.bill_id = ?", f.BillID)
	}
	if c := strings.TrimSpace(f.Customer); c != "" {
		if q, err = performance.WhereCustomerNamed(ctx, s.DB, q, pid, "d.customer_id", c); err != nil {
			return nil, err
		}
	}
	if c := strings.TrimSpace(f.Product); c != "" {
		q = q.Where("(strpos(d.product_name, ?) > 0 OR strpos(d.product_type, ?) > 0)", c, c)
	}
	return q, nil
}

// withNames joins a line's bill, policy, customer and reseller for its
// display columns (detailColumns).
func withNames(q *gorm.DB) *gorm.DB {
	return q.Joins("JOIN incentive_bills b ON b.id = d.bill_id").
		Joins("JOIN incentive_policies ip ON ip.id = b.policy_id").
		Joins("JOIN customers cu ON cu.id = d.customer_id").
		Joins("LEFT JOIN partners rp ON rp.id = d.reseller_partner_id")
}

const detailColumns = `d.*, b.period_code, ip.name AS policy_name, ip.kind AS policy_kind, b.adjustment AS bill_adjustment,
	coalesce((b.calc->>'ratio')::numeric, 0) AS ratio, cu.name AS customer_name, cu.account_name AS customer_account,
	coalesce(rp.name, '') AS reseller_name`

// Details reads a page of a published bill's lines in the actor's data
// scope, in the order they were written, with the total (capped at
// db.MaxCount: a bill may have millions of lines).
func (s Service) Details(ctx context.Context, p *access.Principal, f DetailFilter) (_ []DetailRow, total int64, capped bool, err error) {
	defer apperr.Wrap(&err, "incentive.Details")
	q, err := s.detailQuery(ctx, p, f)
	if err != nil {
		return nil, 0, false, err
	}
	if total, capped, err = db.CappedCount(q.Session(&gorm.Session{})); err != nil {
		return nil, 0, false, err
	}
	per := f.Per
	if per <= 0 || per > 100 {
		per = PerPage
	}
	var rows []DetailRow
	err = withNames(q).Select(detailColumns).Order("d.id").Limit(per).Offset((max(f.Page, 1) - 1) * per).Scan(&rows).Error
	return rows, total, capped, err
}

// ExportDetails streams the actor's incentive lines of a filter (激励明细 >
// 导出).
func (s Service) ExportDetails(ctx context.Context, p *access.Principal, f DetailFilter, each func(DetailRow) error) (err error) {
	defer apperr.Wrap(&err, "incentive.ExportDetails")
	q, err := s.detailQuery(ctx, p, f)
	if err != nil {
		return err
	}
	return db.Each(withNames(q).Select(detailColumns).Order("d.id"), each)
}

// DeskRow is a bill on the vendor's desk.
type DeskRow struct {
	BillRow
	PartnerName string
}

// Desk lists the bills vendor staff publish (the ecosystem manager's
// partners, every partner for the vendor administrator), by state.
func (s Service) Desk(ctx context.Context, p *access.Principal, state string) (_ []DeskRow, err error) {
	defer apperr.Wrap(&err, "incentive.Desk")
	uid, err := p.Staff()
	if err != nil {
		return nil, err
	}
	q := s.DB.WithContext(ctx).Table("incentive_bills b").Joins("JOIN partners p ON p.id = b.partner_id").
		Joins("JOIN incentive_policies ip ON ip.id = b.policy_id").
		Select("b.*, ip.name AS policy_name, p.name AS partner_name")
	if p.VendorRole != "vendor_admin" {
		q = q.Where("p.eco_manager_id = ?", uid)
	}
	if state != "" {
		q = q.Where("b.status = ?", state)
	}
	var out []DeskRow
	err = q.Order("b.period_start DESC, p.name, b.created_at").Limit(200).Scan(&out).Error
	return out, err
}

// Board is 激励看板 (§12.1.9.17): the tenant's bills by state and by
// period.
type Board struct {
	ByState  map[string]decimal.Decimal
	Counts   map[string]int64
	ByPeriod []PeriodAmount
	// Pending is what waits for 确认对账; Confirmed what the partner
	// confirmed (paid out under issue 13).
	Pending, Confirmed decimal.Decimal
	// ToApply is the confirmed incentive not applied for yet (待申请);
	// Expiring the part of it that expires within ExpiringDays
	// (§12.1.5.20); PaidThisYear what was paid out this China year.
	ToApply, Expiring, PaidThisYear decimal.Decimal
}

// ExpiringDays is how far ahead 激励看板 warns of incentives expiring.
const ExpiringDays = 90

// PeriodAmount is the bills of a period, by state.
type PeriodAmount struct {
	Period   string
	Estimate decimal.Decimal
	Settled  decimal.Decimal // published, pending or confirmed
}

// Dashboard reads 激励看板 of the actor's tenant.
func (s Service) Dashboard(ctx context.Context, p *access.Principal) (_ *Board, err error) {
	defer apperr.Wrap(&err, "incentive.Dashboard")
	pid, err := tenantOf(p)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		PeriodCode  string
		PeriodStart string
		Status      string
		Amount      decimal.Decimal
		N           int64
	}
	if err := s.DB.WithContext(ctx).Raw(`SELECT period_code, period_start::text AS period_start, status, sum(amount) AS amount,
		count(*) AS n FROM incentive_bills WHERE partner_id = ? GROUP BY 1, 2, 3 ORDER BY 2, 1`, pid).Scan(&rows).Error; err != nil {
		return nil, err
	}
	b := &Board{ByState: map[string]decimal.Decimal{}, Counts: map[string]int64{}}
	idx := map[string]int{}
	for _, r := range rows {
		b.ByState[r.Status] = b.ByState[r.Status].Add(r.Amount)
		b.Counts[r.Status] += r.N
		i, ok := idx[r.PeriodCode]
		if !ok {
			i = len(b.ByPeriod)
			idx[r.PeriodCode] = i
			b.ByPeriod = append(b.ByPeriod, PeriodAmount{Period: r.PeriodCode})
		}
		if r.Status == StateEstimate {
			b.ByPeriod[i].Estimate = b.ByPeriod[i].Estimate.Add(r.Amount)
		} else {
			b.ByPeriod[i].Settled = b.ByPeriod[i].Settled.Add(r.Amount)
		}
	}
	// A year's quarters and months first, then the year itself.
	sort.SliceStable(b.ByPeriod, func(i, j int) bool {
		x, y := b.ByPeriod[i].Period, b.ByPeriod[j].Period
		if x[:4] != y[:4] {
			return x[:4] < y[:4]
		}
		return x[4] != 'Y' && y[4] == 'Y'
	})
	b.Pending, b.Confirmed = b.ByState[StatePending], b.ByState[StateConfirmed].Add(b.ByState[StatePaid])
	now := s.now()
	year := time.Date(now.In(clock.China).Year(), time.January, 1, 0, 0, 0, 0, clock.China)
	var items struct{ ToApply, Expiring, Paid decimal.Decimal }
	if err := s.DB.WithContext(ctx).Raw(`SELECT
			coalesce(sum(i.amount) FILTER (WHERE i.status = ?), 0) AS to_apply,
			coalesce(sum(i.amount) FILTER (WHERE i.status = ? AND i.amount > 0 AND i.expires_at < ?), 0) AS expiring,
			coalesce(sum(i.amount) FILTER (WHERE i.status = ? AND a.completed_at >= ?), 0) AS paid
		FROM incentive_items i LEFT JOIN payment_applications a ON a.id = i.application_id
		WHERE i.partner_id = ?`, ItemPending, ItemPending, now.AddDate(0, 0, ExpiringDays), ItemPaid, year, pid).
		Scan(&items).Error; err != nil {
		return nil, err
	}
	b.ToApply, b.Expiring, b.PaidThisYear = items.ToApply, items.Expiring, items.Paid
	return b, nil
}
