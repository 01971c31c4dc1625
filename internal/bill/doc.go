// Package bill is 账务 > 伙伴账单, the partner bill of a billing period
// (seed 003 §12.1.9.8; digest §3.21, §4.14), read from consumption_records
// (migrations/00006): one row per rated line of a customer of the partner,
// refunds as negative rows, adjustments (调账) as their own bill type.
//
//   - Periods: the months that have rows, newest first (the page's 账期
//     picker; a loose index scan over consumption_records_partner_period_cover_idx
//     so it stays instant over millions of rows).
//   - Summary: the overview — total = cash + voucher + stored-value card +
//     arrears (§12.1.9.8: "¥3.64 = 3.64 + 0.00 + 0.00"), which equals the
//     charged amount by the table's CHECK; with 本月已优惠 (discounts),
//     refunds, adjustments and the 抹零 total (R61, §12.1.9.14); one
//     aggregate query grouped by bill type.
//   - Lines: the 明细 tabs 消费 / 退款 / 调账, aggregated by product type,
//     resource type and billing mode; ByProduct: the chart's consumption by
//     product type.
//   - Customers: 消费汇总, one row per customer and association type, with
//     filters and a pager.
//   - StreamDetails: every line of the period (消费明细 columns of §3.21),
//     read row by row for exports; amounts stay PostgreSQL's exact text.
//
// The overview, tabs, chart and 消费汇总 are sums of consumption_rollups
// (migrations/00010) and, where the bill type and product type are all
// they need (the period's amounts, the chart), of consumption_months
// (migrations/00068) — per-period sums kept exact by a trigger on every
// insert of lines; only the details (exports) read the lines themselves.
// The tables belong to internal/consumption, which runs these queries
// (consumption.BillingPeriods, PeriodTotals, PeriodLines, PeriodByProduct,
// PeriodCustomers, CountPeriodLines, StreamPeriodLines): bill holds the
// page's rules and its row types are consumption's.
//
// Every Service method takes the acting partner member first and filters
// on the tenant its guard returns (access.Principal.Tenant: anyone else is
// refused); CountDetails and StreamDetails take the tenant of an export
// task inside the worker's snapshot transaction. All
// sums are computed by PostgreSQL on NUMERIC; Go never adds money here.
package bill
