package performance

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/consumption"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// Summary states (§12.1.5.3).
const (
	StateEstimate       = "estimate"        // 预估
	StateDraft          = "draft"           // 初稿
	StatePublicity      = "publicity"       // 公示中
	StatePublicityEnded = "publicity_ended" // 公示结束
	StateFinal          = "final"           // 终稿
)

// States lists the states in order.
var States = []string{StateEstimate, StateDraft, StatePublicity, StatePublicityEnded, StateFinal}

// FormHour is the China hour from which the day before is formed
// (§12.1.5.42: visible the evening of the next day).
const FormHour = 20

// StoredValueCard is the product type of a stored-value card purchase,
// which forms no performance (§12.1.5.1).
const StoredValueCard = consumption.StoredValueCard

// Summary is one partner's month (业绩汇总).
type Summary struct {
	ID              int64
	PartnerID       int64
	Period          time.Time
	Status          string
	Total           decimal.Decimal
	Lines           int64
	PublicityEndsOn *time.Time
	PublishedAt     *time.Time
	PublishedBy     *int64
	FinalizedAt     *time.Time
	FinalizedBy     *int64
	UpdatedAt       time.Time
}

// TableName maps Summary to performance_summaries.
func (Summary) TableName() string { return "performance_summaries" }

// Code is the summary's 业绩单ID as shown.
func (s *Summary) Code() string { return SummaryCode(s.PartnerID, s.Period) }

// SummaryCode is the 业绩单ID of a partner's month.
func SummaryCode(partnerID int64, period time.Time) string {
	return "YJ" + period.Format("200601") + "-" + pad(partnerID)
}

// ParseSummaryCode reads a 业绩单ID back into its month and partner.
func ParseSummaryCode(code string) (period time.Time, partnerID int64, ok bool) {
	month, id, found := strings.Cut(strings.TrimPrefix(code, "YJ"), "-")
	if !found || !strings.HasPrefix(code, "YJ") || len(month) != 6 {
		return time.Time{}, 0, false
	}
	period, err := time.Parse("200601", month)
	if err != nil {
		return time.Time{}, 0, false
	}
	partnerID, err = strconv.ParseInt(id, 10, 64)
	if err != nil || partnerID <= 0 {
		return time.Time{}, 0, false
	}
	return period, partnerID, true
}

// PeriodLabel is the 对账期次 as the seed writes it (2024M3).
func (s *Summary) PeriodLabel() string { return PeriodLabel(s.Period) }

// PeriodLabel writes a month as the seed does: YYYYMn, the month not
// zero-padded (§12.1.8.1).
func PeriodLabel(t time.Time) string {
	return t.Format("2006") + "M" + itoa(int64(t.Month()))
}

// Open reports a summary still taking feedback and lines (预估, 初稿, 公示中).
func (s *Summary) Open() bool {
	return s.Status == StateEstimate || s.Status == StateDraft || s.Status == StatePublicity
}

// Record is one performance line (业绩明细).
type Record struct {
	ID                int64
	ConsumptionID     int64
	PartnerID         int64
	ResellerPartnerID *int64
	CustomerID        int64
	ManagerUserID     *int64
	Mode              string
	BillType          string
	OrderNo           string
	ProductType       string
	ProductName       string
	BillingMode       string
	Amount            decimal.Decimal
	TransactionAt     time.Time
	FormedAt          time.Time
	Period            time.Time
	SummaryID         int64
}

// TableName maps Record to performance_records.
func (Record) TableName() string { return "performance_records" }

// Service forms and shows performance.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s Service) now() time.Time { return s.Clock.Now().UTC() }

// cutoff is the start of the China day whose lines are not formed yet at
// now: today from FormHour on, else yesterday.
func cutoff(now time.Time) time.Time {
	l := now.In(clock.China)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, clock.China)
	if l.Hour() < FormHour {
		day = day.AddDate(0, 0, -1)
	}
	return day
}

// Form forms the performance of every consumption line of the days
// before the cutoff not formed yet, and adds it to the summaries, in one
// transaction. It returns how many records it formed.
func (s Service) Form(ctx context.Context) (n int64, err error) {
	defer apperr.Wrap(&err, "performance.Form")
	now := s.now()
	till := cutoff(now)
	currentMonth := clock.ChinaDate(now).AddDate(0, 0, 1-clock.ChinaDate(now).Day())
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var st struct {
			LowID int64
		}
		if err := tx.WithContext(ctx).Raw(`SELECT low_id FROM performance_state WHERE id = 1 FOR UPDATE`).Scan(&st).Error; err != nil {
			return err
		}
		upto, err := consumption.MaxID(ctx, tx)
		if err != nil {
			return err
		}
		// The lines since the last run, and those an earlier run found
		// not due yet.
		src := consumption.PerformanceSource(tx, st.LowID, upto, tx.Table("performance_pending").Select("consumption_id"), till)
		// Summaries for every (partner, month) the new lines reach, so the
		// records can name theirs; a month already published takes its
		// late lines in the running month (R44).
		if err := tx.WithContext(ctx).Exec(`
			WITH src AS (?)
			INSERT INTO performance_summaries (partner_id, period, status, updated_at)
			SELECT DISTINCT credited, billing_period, CASE WHEN billing_period < ?::date THEN 'draft' ELSE 'estimate' END, ?::timestamptz
			FROM src
			UNION
			SELECT DISTINCT credited, ?::date, 'estimate', ?::timestamptz FROM src
			ON CONFLICT (partner_id, period) DO NOTHING`,
			src, currentMonth, now, currentMonth, now).Error; err != nil {
			return err
		}
		// The records and, from what the INSERT returns, their summaries'
		// totals (a run adds only what it formed).
		if err := tx.WithContext(ctx).Raw(`
			WITH src AS (?), ins AS (
				INSERT INTO performance_records (consumption_id, partner_id, reseller_partner_id, customer_id, manager_user_id, mode,
				    bill_type, order_no, product_type, product_name, billing_mode, amount, transaction_at, formed_at, period, summary_id)
				SELECT src.id, src.credited, src.reseller, src.customer_id, a.manager_user_id, src.mode, src.bill_type, src.order_no,
				       src.product_type, src.product_name, src.billing_mode, src.amount, src.transaction_at, ?,
				       CASE WHEN ps.status IN ('estimate', 'draft') THEN ps.period ELSE cur.period END,
				       CASE WHEN ps.status IN ('estimate', 'draft') THEN ps.id ELSE cur.id END
				FROM src
				JOIN performance_summaries ps ON ps.partner_id = src.credited AND ps.period = src.billing_period
				JOIN performance_summaries cur ON cur.partner_id = src.credited AND cur.period = ?
				LEFT JOIN associations a ON a.partner_id = src.partner_id AND a.customer_id = src.customer_id AND a.status = 'active'
				ORDER BY src.id
				ON CONFLICT (consumption_id) DO NOTHING
				RETURNING summary_id, amount, partner_id, period, customer_id, product_type, reseller_partner_id, manager_user_id
			), roll AS (
				INSERT INTO performance_rollups AS pr (partner_id, period, customer_id, product_type, reseller_partner_id,
				    manager_user_id, positive, negative, lines)
				SELECT partner_id, period, customer_id, product_type, coalesce(reseller_partner_id, 0), coalesce(manager_user_id, 0),
				       coalesce(sum(amount) FILTER (WHERE amount > 0), 0), coalesce(sum(amount) FILTER (WHERE amount < 0), 0), count(*)
				FROM ins GROUP BY 1, 2, 3, 4, 5, 6
				ON CONFLICT (partner_id, period, customer_id, product_type, reseller_partner_id, manager_user_id)
				DO UPDATE SET positive = pr.positive + excluded.positive, negative = pr.negative + excluded.negative,
				    lines = pr.lines + excluded.lines
				RETURNING 1
			), months AS (
				INSERT INTO performance_months AS pm (partner_id, period, reseller_partner_id, manager_user_id, positive, negative, lines)
				SELECT partner_id, period, coalesce(reseller_partner_id, 0), coalesce(manager_user_id, 0),
				       coalesce(sum(amount) FILTER (WHERE amount > 0), 0), coalesce(sum(amount) FILTER (WHERE amount < 0), 0), count(*)
				FROM ins GROUP BY 1, 2, 3, 4
				ON CONFLICT (partner_id, period, reseller_partner_id, manager_user_id)
				DO UPDATE SET positive = pm.positive + excluded.positive, negative = pm.negative + excluded.negative,
				    lines = pm.lines + excluded.lines
				RETURNING 1
			), upd AS (
				UPDATE performance_summaries ps SET total = ps.total + t.amount, lines = ps.lines + t.n, updated_at = ?
				FROM (SELECT summary_id, sum(amount) AS amount, count(*) AS n FROM ins GROUP BY summary_id) t
				WHERE ps.id = t.summary_id
				RETURNING 1
			)
			SELECT (SELECT count(*) FROM ins) AS n, (SELECT count(*) FROM upd) + (SELECT count(*) FROM roll) + (SELECT count(*) FROM months) AS s`,
			src, now, currentMonth, now).Row().Scan(&n, new(int64)); err != nil {
			return err
		}
		// Lines not due yet wait in performance_pending (so the next run
		// reads only them and the new ones); the formed leave it.
		if err := tx.WithContext(ctx).Exec(`INSERT INTO performance_pending (consumption_id) SELECT id FROM (?) n
			ON CONFLICT DO NOTHING`, consumption.NotYetDue(tx, st.LowID, upto, till)).Error; err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Exec(`DELETE FROM performance_pending pp
			WHERE EXISTS (SELECT 1 FROM performance_records r WHERE r.consumption_id = pp.consumption_id)`).Error; err != nil {
			return err
		}
		return tx.WithContext(ctx).Exec(`UPDATE performance_state SET updated_at = ?, formed_till = ?, low_id = ? WHERE id = 1`,
			now, till, upto).Error
	})
	return n, err
}

// CloseMonths turns the summaries of months that ended into drafts (初稿,
// the job on the 1st). It returns how many.
func (s Service) CloseMonths(ctx context.Context) (int64, error) {
	today := clock.ChinaDate(s.now())
	month := today.AddDate(0, 0, 1-today.Day())
	res := s.DB.WithContext(ctx).Model(&Summary{}).Where("status = ? AND period < ?", StateEstimate, month).
		Updates(map[string]any{"status": StateDraft, "updated_at": s.now()})
	return res.RowsAffected, res.Error
}

// EndPublicity ends the publicity of summaries whose end date has passed
// (公示结束). It returns how many.
func (s Service) EndPublicity(ctx context.Context) (int64, error) {
	res := s.DB.WithContext(ctx).Model(&Summary{}).Where("status = ? AND publicity_ends_on < ?", StatePublicity, clock.ChinaDate(s.now())).
		Updates(map[string]any{"status": StatePublicityEnded, "updated_at": s.now()})
	return res.RowsAffected, res.Error
}

// JobArgs is the periodic performance job: form (and recompute the
// indicators when lines formed), close months, end publicity.
type JobArgs struct{}

// Kind names the job in River's table.
func (JobArgs) Kind() string { return "performance_form" }

// Worker runs the job.
type Worker struct {
	river.WorkerDefaults[JobArgs]
	Service Service
}

// Work forms and moves the summaries along at the service's clock.
func (w *Worker) Work(ctx context.Context, _ *river.Job[JobArgs]) error {
	n, err := w.Service.Form(ctx)
	if err != nil {
		return err
	}
	if n > 0 { // the indicators follow the new performance (§12.1.8)
		if _, err := w.Service.ComputeIndicators(ctx); err != nil {
			return err
		}
	}
	if _, err := w.Service.CloseMonths(ctx); err != nil {
		return err
	}
	_, err = w.Service.EndPublicity(ctx)
	return err
}

// Every is how often the job looks (it forms once a day's lines are due).
const Every = 30 * time.Minute

// AddWorkers registers the worker.
func AddWorkers(ws *river.Workers, s Service) { river.AddWorker(ws, &Worker{Service: s}) }

// PeriodicJobs schedules the job every Every, and once at start.
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(Every),
		func() (river.JobArgs, *river.InsertOpts) { return JobArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})}
}
