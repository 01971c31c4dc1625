package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/fh"
	"partnercenter/internal/files"
	"partnercenter/internal/paths"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/clock"
)

func init() { seeders = append(seeders, seedFH) }

// seedFH gives 专职人员激励 its states: 数联云服务 (service path, role
// certified) joined the 2024 expert-service FH with its two engineers made
// project specialists — 工程师SL1 a 服务专家 in 成都 (1.2) and 工程师SL2 a
// 高级服务工程师 in 绵阳 (0.9) — last quarter's three months approved and
// paid, this quarter's months approved and in review; the sibling service
// account 示例云科技（服务） is invited and has not joined yet.
func seedFH(ctx context.Context, tx *gorm.DB, w *World) error {
	now := w.Now
	eco := access.VendorStaff(w.Users[EcoManager], "eco_manager")
	eco.Name = EcoManager
	fin := access.VendorStaff(w.Users[VendorFinance], "finance")
	fin.Name = VendorFinance
	main := func(login string) (*access.Principal, error) {
		m := access.Member(w.Users[login], 0, true)
		m.Name = login
		err := tx.WithContext(ctx).Raw(`SELECT partner_id FROM users WHERE id = ?`, m.UserID).Scan(&m.PartnerID).Error
		return m, err
	}
	sl, err := main(SLAdmin)
	if err != nil {
		return err
	}
	// This quarter's first month, and the quarter before.
	cn := now.In(clock.China)
	quarter := time.Date(cn.Year(), time.Month((int(cn.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
	last := quarter.AddDate(0, -3, 0)
	at := func(t time.Time) clock.Clock { return clock.NewFixed(t.Add(4 * time.Hour)) }

	ps := people.Service{DB: tx, Clock: at(last.AddDate(0, -1, 0))}
	eng := approval.Engine{DB: tx, Clock: at(last.AddDate(0, -1, 2))}
	for _, login := range []string{"sleng1", "sleng2"} {
		var link int64
		if err := tx.WithContext(ctx).Raw(`SELECT id FROM specialist_links WHERE person_id = ? AND unlinked_at IS NULL`, w.Users[login]).Scan(&link).Error; err != nil {
			return err
		}
		sp, err := ps.ApplySpecialist(ctx, sl, link, "服务交付工程师", []files.Upload{{Name: "在职证明.pdf", Data: demoPDF}})
		if err != nil {
			return fmt.Errorf("demo FH specialist %s: %w", login, err)
		}
		if _, err := eng.Approve(ctx, eco, *sp.ApplicationID, ""); err != nil {
			return err
		}
	}
	svc := func(t time.Time) fh.Service { return fh.Service{DB: tx, Clock: at(t)} }
	if err := svc(last.AddDate(0, -1, 3)).Invite(ctx, eco, sl.PartnerID, fh.Service2024, ""); err != nil {
		return err
	}
	if err := svc(last.AddDate(0, -1, 4)).Join(ctx, sl, fh.Service2024, fh.Compliance); err != nil {
		return err
	}
	for login, p := range map[string]fh.PersonInput{"sleng1": {Role: "expert", City: "成都"}, "sleng2": {Role: "senior_engineer", City: "绵阳"}} {
		p.PersonID = w.Users[login]
		if err := svc(last.AddDate(0, -1, 5)).SavePerson(ctx, sl, p); err != nil {
			return err
		}
	}
	past := func(t time.Time) time.Time {
		if t.After(now.Add(-5 * time.Hour)) {
			return now.Add(-5 * time.Hour)
		}
		return t
	}
	month := func(m time.Time, approve bool) error {
		row, err := fh.Service{DB: tx, Clock: clock.NewFixed(past(m.AddDate(0, 0, 14)))}.SubmitMonth(ctx, sl, fh.MonthInput{Variant: fh.Service2024, Month: m.Format("2006-01")})
		if err != nil {
			return fmt.Errorf("demo FH %s: %w", m.Format("2006-01"), err)
		}
		if !approve {
			return nil
		}
		_, err = approval.Engine{DB: tx, Clock: clock.NewFixed(past(m.AddDate(0, 0, 18)))}.Approve(ctx, eco, *row.ApplicationID, "明细核对无误")
		return err
	}
	for i := range 3 {
		if err := month(last.AddDate(0, i, 0), true); err != nil {
			return err
		}
	}
	pay, err := svc(quarter.AddDate(0, 0, 3)).ApplyPayment(ctx, sl, fh.Service2024, fh.QuarterOf(last))
	if err != nil {
		return err
	}
	if err := svc(quarter.AddDate(0, 0, 10)).Pay(ctx, fin, pay.ID, "CMB-FH-"+fh.QuarterOf(last), fmt.Sprintf("demo-fh-pay-%012d", pay.ID)); err != nil {
		return err
	}
	// This quarter: the months begun so far, the latest in review.
	for m := quarter; !m.After(clock.ChinaDate(now)); m = m.AddDate(0, 1, 0) {
		current := m.Year() == cn.Year() && m.Month() == cn.Month()
		if err := month(m, !current); err != nil {
			return err
		}
	}
	if err := seedFHCapability(ctx, tx, w, eco, sl, last, quarter, past); err != nil {
		return err
	}
	if err := seedFHPresales(ctx, tx, w, eco, fin, last, quarter, past); err != nil {
		return err
	}
	if err := seedFHLecturer(ctx, tx, w, eco, last, quarter, past); err != nil {
		return err
	}
	// The sibling service account: invited, not joined.
	if sib := w.Users[SPServiceAdmin]; sib != 0 {
		sp, err := main(SPServiceAdmin)
		if err != nil {
			return err
		}
		if _, err := paths.LiveOf(ctx, tx, sp.PartnerID); err != nil {
			return err
		}
		return svc(now.AddDate(0, 0, -2)).Invite(ctx, eco, sp.PartnerID, fh.Service2024, "")
	}
	return nil
}

// seedFHCapability gives the 2025 capability building its states: the
// vendor administrator's tiers (数据库 二档, DevSecOps 一档, 昇腾云 and 盘古
// 三档) and standards; 数联云服务's five database engineers (数据库工程师SL1–5,
// HCCDP-GaussDB) made service-path specialists, its application for the
// 数据库 scenario approved and the agreement signed; one standard passed
// last quarter, paid in an approved month and a payment application
// waiting for vendor finance; two standards passed this quarter, their
// month in review.
func seedFHCapability(ctx context.Context, tx *gorm.DB, w *World, eco, sl *access.Principal, last, quarter time.Time, past func(time.Time) time.Time) error {
	at := func(t time.Time) clock.Clock { return clock.NewFixed(past(t.Add(4 * time.Hour))) }
	admin := access.VendorStaff(w.Users[VendorAdmin], "vendor_admin")
	admin.Name = VendorAdmin
	cfg := fh.Service{DB: tx, Clock: at(last.AddDate(0, -2, 0))}
	for sc, tier := range map[string]int16{"database": 2, "devsecops": 1, "ascend": 3, "pangu": 3} {
		if err := cfg.SetTier(ctx, admin, sc, tier); err != nil {
			return err
		}
	}
	standards := map[string]int64{}
	for _, st := range []struct{ sc, name string }{
		{"database", "GaussDB数据库迁移与割接"}, {"database", "GaussDB性能诊断与调优"}, {"database", "GaussDB高可用与容灾部署"},
		{"devsecops", "CodeArts流水线与DevSecOps落地"}, {"devsecops", "云原生应用安全治理"},
		{"ascend", "昇腾云模型迁移与推理部署"}, {"pangu", "盘古大模型微调与应用开发"},
	} {
		if err := cfg.AddStandard(ctx, admin, st.sc, st.name); err != nil {
			return err
		}
		var id int64
		if err := tx.WithContext(ctx).Raw(`SELECT id FROM fh_standards WHERE name = ?`, st.name).Scan(&id).Error; err != nil {
			return err
		}
		standards[st.name] = id
	}
	start := last.AddDate(0, -1, 5)
	certs := make([][]string, 5)
	for i := range certs {
		certs[i] = []string{"HCCDP"}
	}
	if err := certifiedStaff(ctx, tx, w, sl, start, "sldb", "数据库工程师SL", "GaussDB", certs); err != nil {
		return err
	}
	ps := people.Service{DB: tx, Clock: at(start.AddDate(0, 0, 1))}
	eng := approval.Engine{DB: tx, Clock: at(start.AddDate(0, 0, 2))}
	for i := range certs {
		login := fmt.Sprintf("sldb%d", i+1)
		var link int64
		if err := tx.WithContext(ctx).Raw(`SELECT id FROM specialist_links WHERE person_id = ? AND unlinked_at IS NULL`, w.Users[login]).Scan(&link).Error; err != nil {
			return err
		}
		sp, err := ps.ApplySpecialist(ctx, sl, link, "GaussDB数据库服务工程师", []files.Upload{{Name: "在职证明.pdf", Data: demoPDF}})
		if err != nil {
			return fmt.Errorf("demo FH capability specialist %s: %w", login, err)
		}
		if _, err := eng.Approve(ctx, eco, *sp.ApplicationID, ""); err != nil {
			return err
		}
	}
	svc := func(t time.Time) fh.Service { return fh.Service{DB: tx, Clock: at(t)} }
	pr, err := svc(start.AddDate(0, 0, 3)).Apply(ctx, sl, fh.Capability2025, "database")
	if err != nil {
		return fmt.Errorf("demo FH capability application: %w", err)
	}
	if _, err := (approval.Engine{DB: tx, Clock: at(start.AddDate(0, 0, 5))}).Approve(ctx, eco, *pr.ApplicationID, "五名HCCDP-GaussDB工程师核验无误"); err != nil {
		return err
	}
	if err := svc(start.AddDate(0, 0, 6)).Join(ctx, sl, fh.Capability2025, fh.Compliance); err != nil {
		return err
	}
	appraise := func(login, standard string, on time.Time) error {
		on = past(on)
		return svc(on.AddDate(0, 0, 1)).RecordAppraisal(ctx, eco, fh.AppraisalInput{ProgramID: pr.ID, PersonID: w.Users[login],
			StandardID: standards[standard], PassedOn: on.In(clock.China).Format(time.DateOnly)})
	}
	month := func(m time.Time, approve bool) error {
		row, err := fh.Service{DB: tx, Clock: clock.NewFixed(past(m.AddDate(0, 0, 20)))}.SubmitMonth(ctx, sl, fh.MonthInput{Variant: fh.Capability2025, Month: m.Format("2006-01")})
		if err != nil {
			return fmt.Errorf("demo FH capability %s: %w", m.Format("2006-01"), err)
		}
		if !approve {
			return nil
		}
		_, err = approval.Engine{DB: tx, Clock: clock.NewFixed(past(m.AddDate(0, 0, 24)))}.Approve(ctx, eco, *row.ApplicationID, "能力鉴定结果核对无误")
		return err
	}
	if err := appraise("sldb1", "GaussDB数据库迁移与割接", last.AddDate(0, 1, 9)); err != nil {
		return err
	}
	if err := month(last.AddDate(0, 1, 0), true); err != nil {
		return err
	}
	if _, err := svc(quarter.AddDate(0, 0, 4)).ApplyPayment(ctx, sl, fh.Capability2025, fh.QuarterOf(last)); err != nil {
		return err
	}
	for _, st := range []string{"GaussDB数据库迁移与割接", "GaussDB性能诊断与调优"} {
		if err := appraise("sldb2", st, quarter.AddDate(0, 0, 1)); err != nil {
			return err
		}
	}
	cn := w.Now.In(clock.China)
	return month(time.Date(cn.Year(), cn.Month(), 1, 0, 0, 0, 0, time.UTC), false)
}
