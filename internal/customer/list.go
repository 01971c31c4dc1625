package customer

import (
	"context"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/org"
	"partnercenter/internal/partner"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

// scopeAssoc restricts a query on associations (alias a) to the
// principal's customer-manager scope (access.Principal.ManagerCondition,
// R57).
func scopeAssoc(q *gorm.DB, p *access.Principal) *gorm.DB {
	if cond, args := p.ManagerCondition("a.manager_user_id"); cond != "" {
		return q.Where(cond, args...)
	}
	return q
}

// Managers lists the tenant's active members holding the preset 客户经理
// role (whom customers may be assigned to), by name.
func (s *Service) Managers(ctx context.Context, p *access.Principal) (_ []Manager, err error) {
	defer apperr.Wrap(&err, "customer.Managers")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	users, err := org.Members{DB: s.DB}.CustomerManagers(ctx, pid)
	if err != nil {
		return nil, err
	}
	var out []Manager
	for _, u := range users {
		out = append(out, Manager{UserID: u.ID, LoginName: u.LoginName, Name: u.Name(), SupervisorID: u.SupervisorID})
	}
	return out, nil
}

// MaxAssignBatch is the most customers assigned in one batch.
const MaxAssignBatch = 1000

// Assign sets (managerUserID > 0) or clears (0) the customer manager of
// the tenant's active customers (客户分配, seed 003 §7.1.4); it returns how
// many changed. The manager must be an active member of the tenant holding
// the preset 客户经理 role. Any id that is not an active customer of the
// tenant in the principal's scope makes the whole batch NotFound.
func (s *Service) Assign(ctx context.Context, p *access.Principal, customerIDs []int64, managerUserID int64) (_ int, err error) {
	defer apperr.Wrap(&err, "customer.Assign(%d)", managerUserID)
	pid, err := p.Tenant()
	if err != nil {
		return 0, err
	}
	ids := db.IDs(customerIDs)
	if len(ids) == 0 {
		return 0, apperr.FieldError("customers", "customer.err.assign_none")
	}
	if len(ids) > MaxAssignBatch {
		return 0, apperr.FieldError("customers", "customer.err.assign_too_many")
	}
	changed := 0
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var mgr *int64
		if managerUserID != 0 {
			ok, err := org.Members{DB: tx}.IsCustomerManager(ctx, pid, managerUserID)
			if err != nil {
				return err
			}
			if !ok {
				return apperr.FieldError("manager", "customer.err.manager_invalid")
			}
			mgr = &managerUserID
		}
		var rows []Association
		q := tx.WithContext(ctx).Clauses(forUpdate()).Table("associations a").Select("a.*").
			Where("a.partner_id = ? AND a.status = ? AND a.customer_id IN ?", pid, AssociationActive, ids)
		if err := scopeAssoc(q, p).Order("a.id").Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) != len(ids) {
			return apperr.NotFound()
		}
		for _, a := range rows {
			if (a.ManagerUserID == nil && mgr == nil) || (a.ManagerUserID != nil && mgr != nil && *a.ManagerUserID == *mgr) {
				continue
			}
			if err := tx.WithContext(ctx).Model(&Association{}).Where("id = ?", a.ID).Update("manager_user_id", mgr).Error; err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, audit.Change{PartnerID: pid, Action: "customer.assign", ObjectType: "association", ObjectID: a.ID,
				Before: map[string]any{"customer_id": a.CustomerID, "manager_user_id": a.ManagerUserID},
				After:  map[string]any{"customer_id": a.CustomerID, "manager_user_id": mgr}}); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, err
}

const listSelect = `a.id AS association_id, a.customer_id, a.partner_id, a.mode, a.status AS state, a.associated_at, a.ended_at,
	a.manager_user_id, c.name, c.account_name, c.kind, COALESCE(c.mobile, '') AS mobile, c.level, c.real_name_status, c.cash_balance`

// listQuery builds the customer list's query (without select, order and
// paging) on associations a JOIN customers c.
//
// Scale (200k customers for one partner): the default (active, newest
// association first) walks associations_partner_active_idx (ended:
// associations_partner_ended_idx, migration 00004); a search of three
// characters or more reads the partner's own trigram keys
// (association_search_keys_idx, 00025 and 00029) and checks customers.search, a
// shorter one or a master distributor's across its resellers the trigram
// index on customers.search (00020); the manager filter uses
// associations_partner_manager_idx.
func (s *Service) listQuery(ctx context.Context, p *access.Principal, f Filter) (*gorm.DB, error) {
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	// The customers join is only added for a search (counting the default
	// list must not touch customers) or by the callers that select columns.
	q := s.DB.WithContext(ctx).Table("associations a")
	if f.Resellers {
		// R64, R74–R76: a master distributor sees its cloud resellers' customers.
		resellers, err := partner.Store{DB: s.DB}.ResellerIDs(ctx, pid)
		if err != nil {
			return nil, err
		}
		q = q.Where("a.partner_id IN ?", resellers)
	} else {
		q = q.Where("a.partner_id = ?", pid)
		q = scopeAssoc(q, p)
	}
	switch f.State {
	case "", AssociationActive:
		q = q.Where("a.status = ?", AssociationActive)
	case AssociationEnded:
		q = q.Where("a.status = ?", AssociationEnded)
	}
	if f.Mode != "" {
		q = q.Where("a.mode = ?", f.Mode)
	}
	switch {
	case f.ManagerID > 0:
		q = q.Where("a.manager_user_id = ?", f.ManagerID)
	case f.ManagerID < 0:
		q = q.Where("a.manager_user_id IS NULL")
	}
	if f.From != nil {
		q = q.Where("a.associated_at >= ?", *f.From)
	}
	if f.To != nil {
		q = q.Where("a.associated_at < ?", *f.To)
	}
	if v := strings.ToLower(clean(f.Q)); v != "" {
		// One column (name, account name, mobile; lower-cased) decides
		// (migration 00020); within one partner the association's
		// partner-scoped trigrams find the candidates (association_search,
		// 00025 and 00029), across
		// several the trigram index on customers.search.
		q = q.Joins("JOIN customers c ON c.id = a.customer_id").Where("c.search LIKE ?", db.Contains(v))
		if utf8.RuneCountInString(v) >= 3 && !f.Resellers {
			// The candidates first, from the keys' index alone (an
			// InitPlan: the planner cannot trade it for a walk of the
			// partner's rows); search_keys of constants is folded when
			// the query is planned.
			q = q.Where("a.id = ANY (ARRAY(SELECT k.association_id FROM association_search k WHERE k.keys @> search_keys(?, ?)))", pid, v)
		}
	}
	return q, nil
}

// countedTotal answers a list's total from association_counts (kept by
// triggers, migration 00020) when the filter is one the counters hold —
// no search and no association dates: a sum over a few rows instead of
// counting up to MaxCount+1 associations. ok is false otherwise.
func (s *Service) countedTotal(ctx context.Context, p *access.Principal, f Filter) (n int64, ok bool, err error) {
	if clean(f.Q) != "" || f.From != nil || f.To != nil {
		return 0, false, nil
	}
	pid, err := p.Tenant()
	if err != nil {
		return 0, false, err
	}
	q := s.DB.WithContext(ctx).Table("association_counts")
	if f.Resellers {
		resellers, err := partner.Store{DB: s.DB}.ResellerIDs(ctx, pid)
		if err != nil {
			return 0, false, err
		}
		q = q.Where("partner_id IN ?", resellers)
	} else {
		q = q.Where("partner_id = ?", pid)
		if cond, args := p.ManagerCondition("manager_user_id"); cond != "" {
			q = q.Where(cond, args...)
		}
	}
	switch f.State {
	case "", AssociationActive:
		q = q.Where("status = ?", AssociationActive)
	case AssociationEnded:
		q = q.Where("status = ?", AssociationEnded)
	}
	if f.Mode != "" {
		q = q.Where("mode = ?", f.Mode)
	}
	switch {
	case f.ManagerID > 0:
		q = q.Where("manager_user_id = ?", f.ManagerID)
	case f.ManagerID < 0:
		q = q.Where("manager_user_id = 0")
	}
	err = q.Select("coalesce(sum(n), 0)").Scan(&n).Error
	return n, err == nil, err
}

func listOrder(f Filter) string {
	dir := " DESC"
	if f.Desc {
		dir = " ASC"
	}
	if f.Sort == "name" {
		// Name sorts A→Z by default; Desc reverses.
		if f.Desc {
			return "c.name DESC, a.id DESC"
		}
		return "c.name ASC, a.id ASC"
	}
	return "a.associated_at" + dir + ", a.id" + dir
}

// List is the 客户管理 list within the principal's data scope (seed 003
// §12.1.2.10): one row per association (State "" = active), searched by
// name, account name or mobile, filtered by mode, manager, association
// date and state, sorted by association time (newest first; Desc gives
// oldest first) or name, with the exact total. With Resellers a master
// distributor lists its cloud resellers' customers (read-only).
func (s *Service) List(ctx context.Context, p *access.Principal, f Filter) (_ *List, err error) {
	defer apperr.Wrap(&err, "customer.List")
	q, err := s.listQuery(ctx, p, f)
	if err != nil {
		return nil, err
	}
	out := &List{}
	var off int
	out.Page, out.Per, off = paging(f.Page, f.Per)
	// The page's association ids, when they are found before the rows:
	// nil means the rows query pages itself.
	var pageIDs []int64
	switch {
	case clean(f.Q) != "":
		// A search runs once: the matching ids in list order, up to
		// MaxCount+1, give the (capped) total and the page.
		var ids []int64
		if err := q.Session(&gorm.Session{}).Order(listOrder(f)).Limit(MaxCount+1).Pluck("a.id", &ids).Error; err != nil {
			return nil, err
		}
		n := min(len(ids), MaxCount)
		out.Total, out.TotalCapped = int64(n), len(ids) > MaxCount
		if out.TotalCapped && db.ExactCount(ctx) {
			if out.Total, out.TotalCapped, err = db.CappedCount(q.Session(&gorm.Session{})); err != nil {
				return nil, err
			}
		}
		lo := min(off, n)
		pageIDs = append([]int64{}, ids[lo:max(lo, min(off+out.Per, n))]...) // non-nil: found first
	default:
		n, counted, err := s.countedTotal(ctx, p, f)
		switch {
		case err != nil:
			return nil, err
		case counted:
			out.Total = n
		default:
			if out.Total, out.TotalCapped, err = db.CappedCount(q); err != nil {
				return nil, err
			}
		}
		if off > 0 && f.Sort != "name" {
			// A deep page ordered by association time: walk the
			// association index alone to the page's ids, then join only
			// those rows (a join per skipped row made page 500 cost
			// 10,000 lookups).
			if err := q.Session(&gorm.Session{}).Order(listOrder(f)).Limit(out.Per).Offset(off).Pluck("a.id", &pageIDs).Error; err != nil {
				return nil, err
			}
			pageIDs = append([]int64{}, pageIDs...) // non-nil: found first
		}
	}
	var rows *gorm.DB
	switch {
	case pageIDs == nil:
		rows = s.rowsQuery(q, f).Limit(out.Per).Offset(off) // (rowsQuery changes q: its last use)
	case len(pageIDs) == 0:
		return out, nil
	default:
		byID := f
		byID.Q = "" // the rows query joins customers itself
		rows = s.rowsQuery(s.DB.WithContext(ctx).Table("associations a").Where("a.id IN ?", pageIDs), byID)
	}
	if err := rows.Scan(&out.Rows).Error; err != nil {
		return nil, err
	}
	return out, nil
}

// rowsQuery selects the list's columns in the list's order.
func (s *Service) rowsQuery(q *gorm.DB, f Filter) *gorm.DB {
	sel := listSelect + `, COALESCE(NULLIF(m.display_name, ''), m.login_name, '') AS manager_name`
	if clean(f.Q) == "" {
		q = q.Joins("JOIN customers c ON c.id = a.customer_id")
	}
	if f.Resellers {
		sel += `, rp.name AS partner_name`
		q = q.Joins("LEFT JOIN partners rp ON rp.id = a.partner_id")
	}
	return q.Select(sel).Joins("LEFT JOIN users m ON m.id = a.manager_user_id").Order(listOrder(f))
}

// MaxCount caps the totals of a search (db.MaxCount).
const MaxCount = db.MaxCount

// Export streams every row of the list (no paging) to fn, in list order,
// reading the database row by row (for the xlsx export).
func (s *Service) Export(ctx context.Context, p *access.Principal, f Filter, fn func(Row) error) error {
	q, err := s.listQuery(ctx, p, f)
	if err != nil {
		return err
	}
	return db.Each(s.rowsQuery(q, f), fn)
}

// Get is a customer's detail within the principal's data scope: the
// account, the current association with the tenant, its manager, every
// association with the tenant and the records. A master distributor also
// sees its cloud resellers' customers, read-only. Anything else is NotFound.
func (s *Service) Get(ctx context.Context, p *access.Principal, customerID int64) (_ *Detail, err error) {
	defer apperr.Wrap(&err, "customer.Get(%d)", customerID)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	g := s.DB.WithContext(ctx)
	owner := pid
	var hist []Association
	if err := g.Where("customer_id = ? AND partner_id = ?", customerID, pid).Order("associated_at DESC, id DESC").Find(&hist).Error; err != nil {
		return nil, err
	}
	readOnly := false
	if len(hist) == 0 {
		// A master distributor's view of a cloud reseller's customer.
		resellers, err := partner.Store{DB: s.DB}.ResellerIDs(ctx, pid)
		if err != nil {
			return nil, err
		}
		if err := g.Where("customer_id = ? AND partner_id IN ?", customerID, resellers).
			Order("associated_at DESC, id DESC").Find(&hist).Error; err != nil {
			return nil, err
		}
		if len(hist) == 0 {
			return nil, apperr.NotFound()
		}
		owner, readOnly = hist[0].PartnerID, true
		kept := hist[:0]
		for _, a := range hist {
			if a.PartnerID == owner {
				kept = append(kept, a)
			}
		}
		hist = kept
	}
	d := &Detail{History: hist, ReadOnly: readOnly}
	latest := hist[0]
	if latest.Status == AssociationActive {
		d.Current = &hist[0]
	}
	if cond, args := p.ManagerCondition("manager_user_id"); !readOnly && cond != "" {
		// The latest association's manager is in the principal's scope.
		var n int64
		if err := g.Model(&Association{}).Where("id = ?", latest.ID).Where(cond, args...).Count(&n).Error; err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, apperr.NotFound()
		}
	}
	if err := g.First(&d.Customer, customerID).Error; err != nil {
		return nil, notFoundIf(err)
	}
	if d.Customer.EnterpriseMasterID != nil {
		var names []string
		if err := g.Table("customers").Where("id = ?", *d.Customer.EnterpriseMasterID).Pluck("account_name", &names).Error; err != nil {
			return nil, err
		}
		if len(names) > 0 {
			d.MasterName = names[0]
		}
	}
	if latest.ManagerUserID != nil {
		names, err := identity.Users{DB: s.DB}.Names(ctx, []int64{*latest.ManagerUserID})
		if err != nil {
			return nil, err
		}
		d.ManagerName = names[*latest.ManagerUserID]
	}
	if d.PartnerName, err = partnerName(ctx, g, owner); err != nil {
		return nil, err
	}
	if err := requestRows(g).Where("ar.customer_id = ? AND ar.partner_id = ?", customerID, owner).
		Order("ar.requested_at DESC, ar.id DESC").Limit(200).Scan(&d.Requests).Error; err != nil {
		return nil, err
	}
	for i := range d.Requests {
		fillRequestRow(&d.Requests[i])
		if readOnly {
			d.Requests[i].Decidable, d.Requests[i].AwaitsCustomer = false, false
		}
	}
	return d, nil
}

// Records is 关联关系操作记录 within the principal's data scope (seed 003
// §12.1.2.2): associations, switches and unbindings, newest first,
// filtered by customer name, manager (name or id), mobile, type and
// status. Decidable rows are the pending customer-initiated unbindings the
// main account approves or rejects (R14). With Resellers a master
// distributor sees its cloud resellers' records (read-only).
func (s *Service) Records(ctx context.Context, p *access.Principal, f RecordFilter) (_ *RecordList, err error) {
	defer apperr.Wrap(&err, "customer.Records")
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	q := requestRows(s.DB.WithContext(ctx))
	if f.Resellers {
		resellers, err := partner.Store{DB: s.DB}.ResellerIDs(ctx, pid)
		if err != nil {
			return nil, err
		}
		q = q.Where("ar.partner_id IN ?", resellers)
	} else {
		q = scopeAssoc(q.Where("ar.partner_id = ?", pid), p)
	}
	if v := clean(f.CustomerName); v != "" {
		q = q.Where("c.name ILIKE ?", db.Contains(v))
	}
	if v := clean(f.ManagerName); v != "" {
		q = q.Where("(m.display_name ILIKE ? OR m.login_name ILIKE ?)", db.Contains(v), db.Contains(v))
	}
	if f.ManagerID > 0 {
		q = q.Where("a.manager_user_id = ?", f.ManagerID)
	}
	if v := clean(f.Mobile); v != "" {
		q = q.Where("c.mobile LIKE ?", db.Contains(v))
	}
	if f.Type != "" {
		q = q.Where("ar.type = ?", f.Type)
	}
	if f.Status != "" {
		q = q.Where("ar.status = ?", f.Status)
	}
	if f.Initiator == InitiatorCustomer || f.Initiator == InitiatorPartner {
		q = q.Where("ar.initiator = ?", f.Initiator)
	}
	out := &RecordList{}
	if out.Total, out.TotalCapped, err = db.CappedCount(q); err != nil {
		return nil, err
	}
	var off int
	out.Page, out.Per, off = paging(f.Page, f.Per)
	if err := q.Select(requestRowSelect).Order("ar.requested_at DESC, ar.id DESC").Limit(out.Per).Offset(off).Scan(&out.Rows).Error; err != nil {
		return nil, err
	}
	for i := range out.Rows {
		fillRequestRow(&out.Rows[i])
		if f.Resellers {
			out.Rows[i].Decidable, out.Rows[i].AwaitsCustomer = false, false
		}
	}
	return out, nil
}
