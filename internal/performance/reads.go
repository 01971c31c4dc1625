package performance

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/consumption"
	"partnercenter/internal/customer"
	"partnercenter/internal/identity"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Overview is 业绩汇总 of a partner: its summaries, newest first, and the
// running month's estimate.
type Overview struct {
	Summaries []Summary
	// Pending is the performance of the running month's imported lines
	// not formed yet (预估, shown beside the formed figure).
	Pending decimal.Decimal
	Month   time.Time
}

// TenantOf is the partner a member's performance belongs to (a cloud
// reseller has none: its performance is its master distributor's, R75).
func TenantOf(p *access.Principal) (int64, error) {
	pid, err := p.Tenant()
	if err != nil {
		return 0, err
	}
	if p.HasIdentity(access.IdentityCloudReseller) && !p.HasIdentity(access.IdentitySolutionProvider) &&
		!p.HasIdentity(access.IdentityMasterDistributor) {
		return 0, apperr.Forbidden()
	}
	return pid, nil
}

// Summaries reads the actor's tenant's 业绩汇总 (period "" or YYYY-MM).
func (s Service) Summaries(ctx context.Context, p *access.Principal, period string) (_ *Overview, err error) {
	defer apperr.Wrap(&err, "performance.Summaries")
	pid, err := TenantOf(p)
	if err != nil {
		return nil, err
	}
	today := clock.ChinaDate(s.now())
	o := &Overview{Month: today.AddDate(0, 0, 1-today.Day())}
	q := s.DB.WithContext(ctx).Where("partner_id = ?", pid)
	if t, perr := time.Parse("2006-01", period); perr == nil {
		q = q.Where("period = ?", t)
	}
	if err := q.Order("period DESC").Limit(60).Find(&o.Summaries).Error; err != nil {
		return nil, err
	}
	if err := s.scopeTotals(ctx, p, pid, o.Summaries); err != nil {
		return nil, err
	}
	resellers, err := partner.Store{DB: s.DB}.ResellerIDs(ctx, pid)
	if err != nil {
		return nil, err
	}
	var state struct {
		FormedTill *time.Time
		LowID      int64
	}
	if err := s.DB.WithContext(ctx).Raw(`SELECT formed_till, low_id FROM performance_state WHERE id = 1`).Scan(&state).Error; err != nil {
		return nil, err
	}
	since := o.Month.Add(-8 * time.Hour) // the month's start in China time
	if state.FormedTill != nil && state.FormedTill.After(since) {
		since = *state.FormedTill
	}
	if o.Pending, err = consumption.PerformanceSince(ctx, s.DB, p, append(resellers, pid), o.Month, since, state.LowID); err != nil {
		return nil, err
	}
	return o, nil
}

// scopeTotals replaces, for a customer manager, each summary's total and
// line count by those of its own customers' records (the managers it
// supervises included), from performance_months: the statement is the
// partner's, the figures the manager's scope.
func (s Service) scopeTotals(ctx context.Context, p *access.Principal, pid int64, sums []Summary) error {
	cond, args := p.ManagerCondition("m.manager_user_id")
	if cond == "" || len(sums) == 0 {
		return nil
	}
	var rows []struct {
		Period time.Time
		Total  decimal.Decimal
		Lines  int64
	}
	if err := s.DB.WithContext(ctx).Table("performance_months m").Where("m.partner_id = ? AND m.period >= ?", pid, sums[len(sums)-1].Period).
		Where(cond, args...).Select("m.period, sum(m.positive + m.negative) AS total, sum(m.lines) AS lines").Group("m.period").
		Scan(&rows).Error; err != nil {
		return err
	}
	by := map[string]int{}
	for i, r := range rows {
		by[r.Period.Format(time.DateOnly)] = i
	}
	for i := range sums {
		sums[i].Total, sums[i].Lines = decimal.Zero, 0
		if j, ok := by[sums[i].Period.Format(time.DateOnly)]; ok {
			sums[i].Total, sums[i].Lines = rows[j].Total, rows[j].Lines
		}
	}
	return nil
}

// Filter narrows 业绩明细 (§12.1.5.3, G§3.1.3 步骤5): the summary (业绩单,
// by id from a link or by its 业绩单ID typed), formation time range,
// order type (bill type), billing mode, customer (name or account), order
// number, customer manager's name, second-tier reseller; Page from 1.
type Filter struct {
	SummaryID int64  `json:"summary_id,omitempty"`
	Code      string `json:"code,omitempty"`    // 业绩单ID, YJ202406-000123
	Manager   string `json:"manager,omitempty"` // 客户经理姓名 (part of it)
	// An indicator's details (指标明细): the months its value sums
	// (YYYY-MM, inclusive) and its definition's product type.
	PeriodFrom  string `json:"period_from,omitempty"`
	PeriodTo    string `json:"period_to,omitempty"`
	ProductType string `json:"product_type,omitempty"`
	From        string `json:"from,omitempty"` // YYYY-MM-DD, China dates, inclusive
	To          string `json:"to,omitempty"`
	BillType    string `json:"bill_type,omitempty"`
	Mode        string `json:"billing_mode,omitempty"` // billing mode
	Customer    string `json:"customer,omitempty"`
	OrderNo     string `json:"order_no,omitempty"`
	Reseller    int64  `json:"reseller,omitempty"`
	Page        int    `json:"-"`
	Per         int    `json:"-"`
}

// Row is a 业绩明细 row with its names.
type Row struct {
	Record
	SummaryStatus   string
	CustomerName    string
	CustomerAccount string
	ManagerName     string
	ResellerName    string
}

// PerPage is the page size of 业绩明细.
const PerPage = 20

// Records reads a page of the actor's tenant's 业绩明细 in its data scope
// (a customer manager: its customers' rows), newest first, with the total
// (capped: there are more).
func (s Service) Records(ctx context.Context, p *access.Principal, f Filter) (_ []Row, total int64, capped bool, err error) {
	defer apperr.Wrap(&err, "performance.Records")
	pid, err := TenantOf(p)
	if err != nil {
		return nil, 0, false, err
	}
	q, err := s.filtered(ctx, s.rows(ctx, p, pid), pid, f)
	if err != nil {
		return nil, 0, false, err
	}
	// A large partner forms millions of lines a year: the count stops at
	// db.MaxCount (the pager says "more").
	if total, capped, err = db.CappedCount(q.Session(&gorm.Session{})); err != nil {
		return nil, 0, false, err
	}
	per := f.Per
	if per <= 0 || per > 100 {
		per = PerPage
	}
	page := max(f.Page, 1)
	var rows []Row
	err = withNames(q).Select(rowColumns).Order("r.formed_at DESC, r.id DESC").Limit(per).Offset((page - 1) * per).Scan(&rows).Error
	return rows, total, capped, err
}

// ValidRange reports a formation-date range of 按业绩形成时间导出: both
// dates (YYYY-MM-DD), the first not after the second.
func ValidRange(from, to string) bool {
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	return err1 == nil && err2 == nil && !f.After(t)
}

// WhereCustomerNamed narrows q to the customers named name (name or
// account) among the tenant's and its resellers' — whose lines are a
// master distributor's performance, R75 — on column; none named, nothing.
// 业绩明细, 指标信息 and 激励明细 filter by customer this one way.
func WhereCustomerNamed(ctx context.Context, g *gorm.DB, q *gorm.DB, pid int64, column, name string) (*gorm.DB, error) {
	resellers, err := partner.Store{DB: g}.ResellerIDs(ctx, pid)
	if err != nil {
		return nil, err
	}
	ids, err := (&customer.Service{DB: g}).IDsNamed(ctx, append(resellers, pid), name)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return q.Where("false"), nil
	}
	return q.Where(column+" IN ?", ids), nil
}

// filtered applies a Filter to the tenant's records. A customer or a
// manager named is looked up among the tenant's and its resellers' (whose
// lines are a master distributor's performance, R75).
func (s Service) filtered(ctx context.Context, q *gorm.DB, pid int64, f Filter) (*gorm.DB, error) {

	if f.SummaryID > 0 {
		q = q.Where("r.summary_id = ?", f.SummaryID)
	}
	if c := strings.ToUpper(strings.TrimSpace(f.Code)); c != "" {
		// A code of another partner, or none at all, matches nothing.
		period, owner, ok := ParseSummaryCode(c)
		if !ok || owner != pid {
			return q.Where("false"), nil
		}
		q = q.Where("r.summary_id = (SELECT id FROM performance_summaries WHERE partner_id = ? AND period = ?)", pid, period)
	}
	if m := strings.TrimSpace(f.Manager); m != "" {
		resellers, err := partner.Store{DB: s.DB}.ResellerIDs(ctx, pid)
		if err != nil {
			return nil, err
		}
		ids, err := identity.Users{DB: s.DB}.MembersNamed(ctx, append(resellers, pid), m)
		if err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			return q.Where("false"), nil
		}
		q = q.Where("r.manager_user_id IN ?", ids)
	}
	if t, err := time.ParseInLocation(time.DateOnly, f.From, clock.China); err == nil {
		q = q.Where("r.formed_at >= ?", t)
	}
	if t, err := time.ParseInLocation(time.DateOnly, f.To, clock.China); err == nil {
		q = q.Where("r.formed_at < ?", t.AddDate(0, 0, 1))
	}
	if t, err := time.Parse("2006-01", f.PeriodFrom); err == nil {
		q = q.Where("r.period >= ?", t)
	}
	if t, err := time.Parse("2006-01", f.PeriodTo); err == nil {
		q = q.Where("r.period <= ?", t)
	}
	if f.ProductType != "" {
		q = q.Where("r.product_type = ?", f.ProductType)
	}
	if f.BillType != "" {
		q = q.Where("r.bill_type = ?", f.BillType)
	}
	if f.Mode != "" {
		q = q.Where("r.billing_mode = ?", f.Mode)
	}
	if c := strings.TrimSpace(f.Customer); c != "" {
		var err error
		if q, err = WhereCustomerNamed(ctx, s.DB, q, pid, "r.customer_id", c); err != nil {
			return nil, err
		}
	}
	if o := strings.TrimSpace(f.OrderNo); o != "" {
		q = q.Where("r.order_no = ?", o)
	}
	if f.Reseller > 0 {
		q = q.Where("r.reseller_partner_id = ?", f.Reseller)
	}
	return q, nil
}

// rowColumns are a record's columns with its display names and its
// summary's state (read for the page's rows only, not in the count).
const rowColumns = `r.*, (SELECT ps.status FROM performance_summaries ps WHERE ps.id = r.summary_id) AS summary_status,
	cu.name AS customer_name, cu.account_name AS customer_account,
	coalesce(nullif(u.display_name, ''), u.login_name, '') AS manager_name, coalesce(rp.name, '') AS reseller_name`

// Export streams the actor's tenant's records of a filter, in its scope,
// newest first (业绩明细 > 导出; the export task's source).
func (s Service) Export(ctx context.Context, p *access.Principal, f Filter, each func(Row) error) (err error) {
	defer apperr.Wrap(&err, "performance.Export")
	pid, err := TenantOf(p)
	if err != nil {
		return err
	}
	q, err := s.filtered(ctx, s.rows(ctx, p, pid), pid, f)
	if err != nil {
		return err
	}
	return db.Each(withNames(q).Select(rowColumns).Order("r.formed_at DESC, r.id DESC"), each)
}

// rows is the tenant's records in the actor's scope. It reads only
// performance_records, so a count walks its indexes; withNames adds the
// display joins for the rows a page or an export selects.
func (s Service) rows(ctx context.Context, p *access.Principal, pid int64) *gorm.DB {
	q := s.DB.WithContext(ctx).Table("performance_records r").Where("r.partner_id = ?", pid)
	if cond, args := p.ManagerCondition("r.manager_user_id"); cond != "" {
		q = q.Where(cond, args...)
	}
	return q
}

// withNames joins a record's customer, manager and reseller for its
// display columns (rowColumns).
func withNames(q *gorm.DB) *gorm.DB {
	return q.Joins("JOIN customers cu ON cu.id = r.customer_id").
		Joins("LEFT JOIN users u ON u.id = r.manager_user_id").
		Joins("LEFT JOIN partners rp ON rp.id = r.reseller_partner_id")
}

// Get reads one record of the tenant in the actor's scope (else 404).
func (s Service) Get(ctx context.Context, p *access.Principal, id int64) (_ *Row, err error) {
	defer apperr.Wrap(&err, "performance.Get(%d)", id)
	pid, err := TenantOf(p)
	if err != nil {
		return nil, err
	}
	var rows []Row
	if err := withNames(s.rows(ctx, p, pid)).Where("r.id = ?", id).Select(rowColumns).
		Limit(1).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.NotFound()
	}
	return &rows[0], nil
}

// Summary reads one summary of the tenant (else 404).
func (s Service) Summary(ctx context.Context, p *access.Principal, id int64) (_ *Summary, err error) {
	defer apperr.Wrap(&err, "performance.Summary(%d)", id)
	pid, err := TenantOf(p)
	if err != nil {
		return nil, err
	}
	var sm Summary
	if err := s.DB.WithContext(ctx).Where("id = ? AND partner_id = ?", id, pid).First(&sm).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	return &sm, nil
}

// VendorRow is a summary on the vendor's desk.
type VendorRow struct {
	Summary
	PartnerName string
}

// Desk lists the summaries vendor staff decide (the ecosystem manager's
// partners, every partner for the vendor administrator), by state.
func (s Service) Desk(ctx context.Context, p *access.Principal, state string) (_ []VendorRow, err error) {
	defer apperr.Wrap(&err, "performance.Desk")
	uid, err := p.Staff()
	if err != nil {
		return nil, err
	}
	q := s.DB.WithContext(ctx).Table("performance_summaries ps").Joins("JOIN partners p ON p.id = ps.partner_id").
		Select("ps.*, p.name AS partner_name")
	if p.VendorRole != "vendor_admin" {
		q = q.Where("p.eco_manager_id = ?", uid)
	}
	if state != "" {
		q = q.Where("ps.status = ?", state)
	}
	var out []VendorRow
	err = q.Order("ps.period DESC, p.name").Limit(200).Scan(&out).Error
	return out, err
}

// vendorSummary locks a summary of a partner the staff actor may see.
func (s Service) vendorSummary(ctx context.Context, tx *gorm.DB, p *access.Principal, id int64) (*Summary, error) {
	var sm Summary
	if err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).First(&sm).Error; err != nil {
		if db.IsNotFound(err) {
			return nil, apperr.NotFound()
		}
		return nil, err
	}
	if _, err := (partner.Directory{DB: tx}).Get(ctx, p, sm.PartnerID); err != nil {
		return nil, err
	}
	return &sm, nil
}

// Publish is 发布公示: a draft goes to publicity until endsOn (a date
// after today, China).
func (s Service) Publish(ctx context.Context, p *access.Principal, id int64, endsOn string) (err error) {
	defer apperr.Wrap(&err, "performance.Publish(%d)", id)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		// Another manager's summary is 404 whatever the form says.
		sm, err := s.vendorSummary(ctx, tx, p, id)
		if err != nil {
			return err
		}
		end, perr := time.Parse(time.DateOnly, strings.TrimSpace(endsOn))
		if perr != nil || !end.After(clock.ChinaDate(s.now())) {
			return apperr.FieldError("ends_on", "performance.err.ends_on")
		}
		return s.move(ctx, tx, sm, StateDraft, StatePublicity, map[string]any{"publicity_ends_on": end, "published_at": s.now(),
			"published_by": uid})
	})
}

// Finalize is 定稿: a summary whose publicity ended becomes final.
func (s Service) Finalize(ctx context.Context, p *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "performance.Finalize(%d)", id)
	uid, err := p.Staff()
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		sm, err := s.vendorSummary(ctx, tx, p, id)
		if err != nil {
			return err
		}
		return s.move(ctx, tx, sm, StatePublicityEnded, StateFinal, map[string]any{"finalized_at": s.now(), "finalized_by": uid})
	})
}

// move changes a summary's state from `from` (the guard) and audits it.
func (s Service) move(ctx context.Context, tx *gorm.DB, sm *Summary, from, to string, extra map[string]any) error {
	if sm.Status != from {
		return apperr.Conflict("performance.err.state")
	}
	upd := map[string]any{"status": to, "updated_at": s.now()}
	for k, v := range extra {
		upd[k] = v
	}
	res := tx.WithContext(ctx).Model(&Summary{}).Where("id = ? AND status = ?", sm.ID, from).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return apperr.Conflict("performance.err.state")
	}
	after := map[string]any{"status": to, "period": PeriodLabel(sm.Period)}
	if e, ok := extra["publicity_ends_on"].(time.Time); ok {
		after["publicity_ends_on"] = e.Format(time.DateOnly)
	}
	return audit.Record(ctx, tx, audit.Change{At: s.now(), PartnerID: sm.PartnerID, Action: "performance." + to,
		ObjectType: "performance_summary", ObjectID: sm.ID, Before: map[string]any{"status": from}, After: after})
}

// Reseller is a second-tier reseller a master distributor filters by.
type Reseller struct {
	ID   int64
	Name string
}

// Resellers lists the actor's tenant's cloud resellers (a master
// distributor's 二级经销商 filter, §12.2.1), by name; none for others.
func (s Service) Resellers(ctx context.Context, p *access.Principal) (_ []Reseller, err error) {
	defer apperr.Wrap(&err, "performance.Resellers")
	pid, err := TenantOf(p)
	if err != nil || !p.HasIdentity(access.IdentityMasterDistributor) {
		return nil, err
	}
	store := partner.Store{DB: s.DB}
	ids, err := store.ResellerIDs(ctx, pid)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	names, err := store.Names(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Reseller, 0, len(ids))
	for _, id := range ids {
		out = append(out, Reseller{ID: id, Name: names[id]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
