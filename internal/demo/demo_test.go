package demo

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"partnercenter/internal/incentive"
	"partnercenter/internal/performance"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var errRollback = errors.New("rollback")

// seededAt seeds the demo world as of now in a transaction (without the
// jobs Seed queues after committing), runs check on it and rolls it back:
// the package's database stays empty for the next.
func seededAt(t *testing.T, now time.Time, check func(tx *gorm.DB, w *World)) {
	t.Helper()
	err := dbtest.DB(t).Transaction(func(tx *gorm.DB) error {
		w, err := seedWorld(context.Background(), tx, now)
		if err != nil {
			t.Fatalf("seed at %s: %v", now.Format(time.DateOnly), err)
		}
		check(tx, w)
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatal(err)
	}
}

// Issue 12 (build-plan 3.C): whatever the day the demo is seeded,
// 示例云科技's 业绩汇总 are in every state (预估, 初稿, 公示中, 公示结束, 终稿),
// its incentive bills in every state (预估, 公示中, 待确认, 已确认, 发放成功);
// it has a growth bill paying a ratio above 0 (seed 003 §12.1.5.4: last
// year against the year before) and a 逆向负向调整 bill of −6,462.14
// (§12.1.5.45: a late refund of last year); performance.Check and
// incentive.Check find nothing.
func TestDemoShowsEveryIncentiveStateOnAnyDate(t *testing.T) {
	for _, day := range []time.Time{
		time.Date(2026, 1, 15, 2, 0, 0, 0, time.UTC),
		time.Date(2026, 7, 15, 2, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 15, 2, 0, 0, 0, time.UTC),
	} {
		t.Run(day.Format(time.DateOnly), func(t *testing.T) {
			seededAt(t, day, func(tx *gorm.DB, w *World) {
				states := func(table string) []string {
					var out []string
					if err := tx.Raw(`SELECT DISTINCT status FROM `+table+` WHERE partner_id = ? ORDER BY 1`, w.SP).Scan(&out).Error; err != nil {
						t.Fatal(err)
					}
					return out
				}
				if got := states("performance_summaries"); len(got) != len(performance.States) {
					t.Errorf("performance summary states %v, want all of %v", got, performance.States)
				}
				if got := states("incentive_bills"); len(got) != len(incentive.States) {
					t.Errorf("incentive bill states %v, want all of %v", got, incentive.States)
				}
				var growth []incentive.Bill
				if err := tx.Raw(`SELECT b.* FROM incentive_bills b JOIN incentive_policies p ON p.id = b.policy_id
					WHERE b.partner_id = ? AND p.kind = 'growth' ORDER BY b.period_code, b.created_at`, w.SP).Scan(&growth).Error; err != nil {
					t.Fatal(err)
				}
				paying, negative := false, false
				for _, b := range growth {
					c := b.Calculation()
					t.Logf("%s %s %s %s: ratio %s%% %s", b.PeriodCode, b.Adjustment, b.Status, b.Amount, c.Ratio, c.Reason)
					paying = paying || (b.Adjustment == incentive.AdjustNormal && b.Amount.IsPositive() && c.Ratio.IsPositive())
					negative = negative || (b.Adjustment == incentive.AdjustNegative && b.Amount.Equal(decimal.RequireFromString("-6462.14")) &&
						b.Status == incentive.StatePublicity && b.Lines > 0)
				}
				if !paying {
					t.Errorf("no growth bill pays a ratio above 0")
				}
				if !negative {
					t.Errorf("no published 逆向负向调整 bill of −6,462.14")
				}
				var positive int64
				if err := tx.Raw(`SELECT count(*) FROM incentive_bills b JOIN incentive_policies p ON p.id = b.policy_id
					WHERE b.partner_id = ? AND p.kind = 'threshold' AND b.adjustment = ? AND b.amount > 0`, w.SP, incentive.AdjustPositive).
					Scan(&positive).Error; err != nil || positive == 0 {
					t.Errorf("no quarter's 逆向正向调整 (a late line): %d %v", positive, err)
				}
				for _, check := range []func(context.Context, *gorm.DB) ([]string, error){performance.Check, incentive.Check} {
					if diffs, err := check(context.Background(), tx); err != nil || len(diffs) > 0 {
						t.Errorf("check: %v %v", diffs, err)
					}
				}
			})
		})
	}
}

// The growth series behind it, on every day of two years: 苏州工业园区智造's
// performance of last year (after the late refund) grew more than 30% on
// the year before, by at least 1,000,000 (the first tier), so 示例云科技's
// growth bill of last year pays 4% (seed 003 §12.1.5.4) whatever the day.
func TestKeyAccountHistoryGrowsLastYearOnEveryDay(t *testing.T) {
	for now := time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC); now.Year() < 2028; now = now.Add(24 * time.Hour) {
		y := clock.ChinaDate(now).Year()
		total := map[int]decimal.Decimal{y - 1: decimal.RequireFromString(lateRefund)}
		for _, l := range keyAccountHistory(now) {
			if l.account == "suzhou_zhizao" {
				year := l.at.In(clock.China).Year()
				total[year] = total[year].Add(decimal.RequireFromString(l.amount))
			}
		}
		last, before := total[y-1], total[y-2]
		if !before.IsPositive() || !last.Div(before).GreaterThan(decimal.RequireFromString("1.3")) ||
			last.Sub(before).LessThan(decimal.NewFromInt(1000000)) {
			t.Errorf("%s: %d %s against %d %s", now.Format(time.DateOnly), y-1, last, y-2, before)
		}
	}
}
