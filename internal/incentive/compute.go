package incentive

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/performance"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/program"
)

// Bill states (§12.1.5.4, §12.1.5.43) and adjustment types (§12.1.5.45).
const (
	StateEstimate  = "estimate"  // 预估
	StatePublicity = "publicity" // 公示中
	StatePending   = "pending"   // 待确认
	StateConfirmed = "confirmed" // 已确认
	StatePaid      = "paid"      // 发放成功: every incentive of the bill paid

	AdjustNormal   = "normal"           // 正常
	AdjustNegative = "reverse_negative" // 逆向负向调整
	AdjustPositive = "reverse_positive" // 逆向正向调整
)

// States lists the bill states in order.
var States = []string{StateEstimate, StatePublicity, StatePending, StateConfirmed, StatePaid}

// Why an incentive is zero (the calculation's reason, §12.1.5.33).
const (
	ReasonNotLeveled   = "not_leveled"    // not a core or leading solution provider
	ReasonNoPrior      = "no_prior"       // no performance the year before
	ReasonGrowthLow    = "growth_low"     // growth not above the policy's rate
	ReasonBelowTier    = "below_tier"     // below the first step
	ReasonBaseNotGrown = "base_not_grown" // the base did not grow
)

// Calc is a bill's calculation (查看核算过程): the indicator values it was
// computed from, the ratio, and why it is zero when it is.
type Calc struct {
	Kind                  string           `json:"kind"`
	PeriodCode            string           `json:"period"`
	PrevCode              string           `json:"prev,omitempty"`
	ThresholdDefinitionID int64            `json:"threshold_definition"`
	BaseDefinitionID      int64            `json:"base_definition"`
	Threshold             decimal.Decimal  `json:"threshold"`
	ThresholdPrev         *decimal.Decimal `json:"threshold_prev,omitempty"`
	Growth                *decimal.Decimal `json:"growth,omitempty"` // percent, 2 places
	MinGrowth             *decimal.Decimal `json:"min_growth,omitempty"`
	Increment             *decimal.Decimal `json:"increment,omitempty"` // T(Y) − T(Y−1)
	Base                  decimal.Decimal  `json:"base"`
	BasePrev              *decimal.Decimal `json:"base_prev,omitempty"`
	BaseIncrement         *decimal.Decimal `json:"base_increment,omitempty"`
	Ratio                 decimal.Decimal  `json:"ratio"` // percent
	Tiers                 Tiers            `json:"tiers"`
	Total                 decimal.Decimal  `json:"total"` // what the partner's bills of the period add up to
	Reason                string           `json:"reason,omitempty"`
}

// Bill is an incentive bill (激励账单).
type Bill struct {
	ID              string `gorm:"default:gen_random_uuid()"`
	PartnerID       int64
	PolicyID        int64
	PeriodCode      string
	PeriodStart     time.Time
	Adjustment      string
	Association     string
	Amount          decimal.Decimal
	Status          string
	Calc            json.RawMessage `gorm:"type:jsonb"`
	Lines           int64           // written at publication
	LinesTotal      decimal.Decimal // Σ line incentives
	PublicityEndsOn *time.Time
	PublishedAt     *time.Time
	PublishedBy     *int64
	FinalizedAt     *time.Time
	FinalizedBy     *int64
	ConfirmedAt     *time.Time
	ConfirmedBy     *int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// TableName maps Bill to incentive_bills.
func (Bill) TableName() string { return "incentive_bills" }

// Calculation decodes the bill's calculation.
func (b *Bill) Calculation() Calc {
	var c Calc
	_ = json.Unmarshal(b.Calc, &c)
	return c
}

var hundred = decimal.NewFromInt(100)

// calculate applies a policy to a partner's indicator values.
func calculate(pol *Policy, c Calc, leveled bool) Calc {
	c.Tiers = pol.Steps()
	c.Kind = pol.Kind
	c.Total, c.Ratio = decimal.Zero, decimal.Zero
	if pol.Eligibility == EligibleLeveled && !leveled {
		c.Reason = ReasonNotLeveled
		return c
	}
	if pol.Kind == KindThreshold {
		c.Ratio = c.Tiers.Ratio(c.Threshold)
		if c.Ratio.IsZero() {
			c.Reason = ReasonBelowTier
			return c
		}
		c.Total = c.Base.Mul(c.Ratio).Div(hundred).Round(2)
		return c
	}
	c.MinGrowth = pol.MinGrowth
	if c.ThresholdPrev == nil || !c.ThresholdPrev.IsPositive() {
		c.Reason = ReasonNoPrior
		return c
	}
	g := c.Threshold.DivRound(*c.ThresholdPrev, 16).Sub(decimal.NewFromInt(1)).Mul(hundred)
	shown := g.Round(2)
	c.Growth = &shown
	inc := c.Threshold.Sub(*c.ThresholdPrev)
	c.Increment = &inc
	if pol.MinGrowth != nil && !g.GreaterThan(*pol.MinGrowth) {
		c.Reason = ReasonGrowthLow
		return c
	}
	c.Ratio = c.Tiers.Ratio(inc)
	if c.Ratio.IsZero() {
		c.Reason = ReasonBelowTier
		return c
	}
	bp := decimal.Zero
	if c.BasePrev != nil {
		bp = *c.BasePrev
	}
	binc := c.Base.Sub(bp)
	c.BaseIncrement = &binc
	if !binc.IsPositive() {
		c.Reason = ReasonBaseNotGrown
		return c
	}
	c.Total = binc.Mul(c.Ratio).Div(hundred).Round(2)
	return c
}

// Compute recomputes every active policy's bills of its periods begun so
// far, for every partner (the hourly job). It returns how many bills it
// wrote.
func (s Service) Compute(ctx context.Context) (int64, error) { return s.ComputeFor(ctx, 0) }

// ComputeFor is Compute for one partner (0: every partner).
func (s Service) ComputeFor(ctx context.Context, partnerID int64) (n int64, err error) {
	defer apperr.Wrap(&err, "incentive.Compute")
	var pols []Policy
	if err := s.DB.WithContext(ctx).Where("active").Order("id").Find(&pols).Error; err != nil {
		return 0, err
	}
	today := clock.ChinaDate(s.now())
	for i := range pols {
		th, err := performance.DefinitionByID(ctx, s.DB, pols[i].ThresholdDefinitionID)
		if err != nil {
			return n, err
		}
		for _, code := range performance.PeriodCodes(th.Cycle, pols[i].Year) {
			from, _, _ := performance.PeriodRange(code)
			if from.After(today) {
				break
			}
			k, err := s.computePeriod(ctx, &pols[i], code, partnerID)
			if err != nil {
				return n, err
			}
			n += k
		}
	}
	return n, nil
}

// computePeriod recomputes one policy's bills of one period, in one
// transaction holding the period's bills locked.
func (s Service) computePeriod(ctx context.Context, pol *Policy, code string, partnerID int64) (n int64, err error) {
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		n = 0
		T, err := performance.IndicatorValues(ctx, tx, pol.ThresholdDefinitionID, code, partnerID)
		if err != nil {
			return err
		}
		B, err := performance.IndicatorValues(ctx, tx, pol.BaseDefinitionID, code, partnerID)
		if err != nil {
			return err
		}
		var Tp, Bp map[int64]decimal.Decimal
		prev := ""
		if pol.Kind == KindGrowth {
			prev = strconv.Itoa(pol.Year-1) + "Y"
			if Tp, err = performance.IndicatorValues(ctx, tx, pol.ThresholdDefinitionID, prev, partnerID); err != nil {
				return err
			}
			if Bp, err = performance.IndicatorValues(ctx, tx, pol.BaseDefinitionID, prev, partnerID); err != nil {
				return err
			}
		}
		q := tx.WithContext(ctx).Where("policy_id = ? AND period_code = ?", pol.ID, code)
		if partnerID != 0 {
			q = q.Where("partner_id = ?", partnerID)
		}
		var existing []Bill
		if err := q.Order("partner_id, created_at").Clauses(clause.Locking{Strength: "UPDATE"}).Find(&existing).Error; err != nil {
			return err
		}
		bills := map[int64][]Bill{}
		ids := map[int64]bool{}
		for _, b := range existing {
			bills[b.PartnerID] = append(bills[b.PartnerID], b)
			ids[b.PartnerID] = true
		}
		for id := range T {
			ids[id] = true
		}
		for id := range B {
			ids[id] = true
		}
		list := make([]int64, 0, len(ids))
		for id := range ids {
			list = append(list, id)
		}
		sort.Slice(list, func(i, j int) bool { return list[i] < list[j] })
		ms, err := program.ActiveMemberships(ctx, tx, list)
		if err != nil {
			return err
		}
		from, _, _ := performance.PeriodRange(code)
		for _, id := range list {
			member, leveled := false, false
			for _, m := range ms[id] {
				switch m.Program {
				case program.MasterDistributor:
					member, leveled = true, true
				case program.SolutionProvider:
					member = true
					leveled = leveled || m.Level == "core" || m.Level == "leading"
				}
			}
			if !member {
				// Incentives are for programme members (§12.1.5.33); a
				// partner that left keeps the bills it has as they stand
				// (its incentives stay valid a year, §12.1.5.20).
				continue
			}
			c := Calc{PeriodCode: code, PrevCode: prev, ThresholdDefinitionID: pol.ThresholdDefinitionID,
				BaseDefinitionID: pol.BaseDefinitionID, Threshold: T[id], Base: B[id]}
			if pol.Kind == KindGrowth {
				if v, ok := Tp[id]; ok {
					c.ThresholdPrev = &v
				}
				if v, ok := Bp[id]; ok {
					c.BasePrev = &v
				}
			}
			c = calculate(pol, c, member && leveled)
			k, err := s.settle(ctx, tx, pol, id, code, from, c, bills[id])
			if err != nil {
				return err
			}
			n += k
		}
		return nil
	})
	return n, err
}

// settle writes a partner's recomputed total: the 预估 normal bill takes
// it; once that bill left 预估, the difference from what the bills add up
// to opens (or updates, or removes) the one 预估 reverse adjustment.
func (s Service) settle(ctx context.Context, tx *gorm.DB, pol *Policy, partnerID int64, code string, from time.Time, c Calc, bills []Bill) (int64, error) {
	raw, err := json.Marshal(c)
	if err != nil {
		return 0, err
	}
	now := s.now()
	var normal, open *Bill
	billed := decimal.Zero
	for i := range bills {
		b := &bills[i]
		switch {
		case b.Adjustment == AdjustNormal:
			normal = b
		case b.Status == StateEstimate:
			open = b
			continue
		}
		billed = billed.Add(b.Amount)
	}
	if normal == nil {
		b := Bill{PartnerID: partnerID, PolicyID: pol.ID, PeriodCode: code, PeriodStart: from, Adjustment: AdjustNormal,
			Amount: c.Total, Status: StateEstimate, Calc: raw, CreatedAt: now, UpdatedAt: now}
		return 1, tx.WithContext(ctx).Create(&b).Error
	}
	if normal.Status == StateEstimate {
		if normal.Amount.Equal(c.Total) && jsonEqual(normal.Calc, raw) {
			return 0, nil
		}
		return 1, tx.WithContext(ctx).Model(&Bill{}).Where("id = ? AND status = ?", normal.ID, StateEstimate).
			Updates(map[string]any{"amount": c.Total, "calc": raw, "updated_at": now}).Error
	}
	diff := c.Total.Sub(billed)
	if diff.IsZero() {
		if open == nil {
			return 0, nil
		}
		return 1, tx.WithContext(ctx).Where("id = ? AND status = ?", open.ID, StateEstimate).Delete(&Bill{}).Error
	}
	kind := AdjustPositive
	if diff.IsNegative() {
		kind = AdjustNegative
	}
	if open == nil {
		b := Bill{PartnerID: partnerID, PolicyID: pol.ID, PeriodCode: code, PeriodStart: from, Adjustment: kind,
			Amount: diff, Status: StateEstimate, Calc: raw, CreatedAt: now, UpdatedAt: now}
		return 1, tx.WithContext(ctx).Create(&b).Error
	}
	if open.Amount.Equal(diff) && jsonEqual(open.Calc, raw) {
		return 0, nil
	}
	return 1, tx.WithContext(ctx).Model(&Bill{}).Where("id = ? AND status = ?", open.ID, StateEstimate).
		Updates(map[string]any{"amount": diff, "adjustment": kind, "calc": raw, "updated_at": now}).Error
}

// jsonEqual compares two JSON documents by value (jsonb reorders keys).
func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}

// JobArgs is the periodic recomputation of the 预估 bills.
type JobArgs struct{}

// Kind names the job in River's table.
func (JobArgs) Kind() string { return "incentive_compute" }

// Worker runs the job.
type Worker struct {
	river.WorkerDefaults[JobArgs]
	Service Service
}

// Work recomputes every bill at the service's clock.
func (w *Worker) Work(ctx context.Context, _ *river.Job[JobArgs]) error {
	_, err := w.Service.Compute(ctx)
	return err
}

// Every is how often the bills are recomputed (the seed: daily; the
// indicators they read follow the performance every half hour).
const Every = time.Hour

// AddWorkers registers the workers (the recomputation, 自动申请).
func AddWorkers(ws *river.Workers, s Service) {
	river.AddWorker(ws, &Worker{Service: s})
	river.AddWorker(ws, &AutoWorker{Service: s})
	river.AddWorker(ws, &ExpireWorker{Service: s})
}

// PeriodicJobs schedules the recomputation every Every, and once at start,
// 自动申请 daily, and expiry and netting daily (and at start).
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(Every),
			func() (river.JobArgs, *river.InsertOpts) { return JobArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return AutoArgs{}, nil }, nil),
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return ExpireArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}),
	}
}
