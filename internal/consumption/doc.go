// Package consumption is 客户消费 and 客户订单 (seed 003 §12.1.7.1,
// §12.1.9.14, §12.1.9.16, §12.3.10; digest §3.20–3.21) and the vendor's
// import that loads them.
//
// Vendor finance uploads a CSV or xlsx file of rated consumption lines
// (columns in Columns; headers in Chinese or English). Upload checks the
// header at once (a file without the required columns is refused with
// the message), stores the file in PostgreSQL (internal/platform/blob)
// and queues a River job (ImportWorker) in the same transaction; the
// report page follows the job's progress. The import reads the file as
// a stream, validates every line on its own and records the rejected
// ones with their line number, column and a catalog message. In one
// transaction it then resolves each accepted line in Go against a cache
// loaded in batches (write.go) and COPYs it straight into
// consumption_records — each line written once, except a resale
// customer's debits, which wait in an unlogged stage for the file's end
// (their draw-down follows time order over the whole file):
//
//   - amounts keep 8 decimals (官网价 list price, 优惠金额 discount,
//     应付金额 amount payable = list − discount); an on-demand line may
//     instead give a unit price per unit-hour, a quantity and seconds of
//     use, rated with money.UsageAmount;
//   - the charge is the amount payable truncated to the fen and the cut
//     digits are the 抹零 amount (R61, §12.1.9.14: 0.04599822 is charged
//     0.04 with 抹零 0.00599822), enforced again by the table's CHECKs;
//   - each line belongs to the partner the customer was associated with at
//     its transaction time, with that association's mode (代售 resale or
//     顾问 consulting), and to the signing entity of that partner at that
//     time (§12.1.9.4);
//   - a resale customer's cash part is drawn from its partner-funded
//     balance (§12.1.3.4: the partner is not charged again) in time order;
//     what the balance cannot cover is 欠费 arrears; cash refunds return to
//     the balance. The draw-downs are ledger transactions posted in bulk in
//     the same transaction (ledger.PostBulk);
//   - a line whose source id (流水号) was imported before is rejected as a
//     duplicate, so importing the same file twice changes nothing.
//
// Imports are serialized by an advisory lock (they share the staging
// table). A failed import rolls back whole and is marked failed with its
// reason; nothing half-imported remains. Run imports synchronously (tests,
// benchmarks) and RunTx inside a caller's transaction (the demo).
//
// Every statement that writes lines adds them, in the same statement
// (the trigger consumption_rollup_add, migrations/00010 and 00068), to
// three tables of sums: consumption_rollups (one row per partner,
// period, signing entity, bill type, mode, customer, product type,
// resource type and billing mode: what the partner bill and 消费汇总
// show), and two coarser ones computed from the same grouped rows,
// consumption_months (by bill type and product type) and
// consumption_customer_months (by bill type and customer). 消费看板
// reads its twelve-month trend and its latest month from those: a year
// of the benchmark's large partner is 48,000 rollups, 60 rows of
// consumption_months and 12,000 of consumption_customer_months
// (docs/PERFORMANCE.md).
//
// Check reconciles what the schema does not hold: lines against their
// ledger draw-downs (ledger.ConsumptionNets), rollups against their
// lines, the sums by month against the rollups, no orphan lines (partner
// and customer say which of the ids the lines name exist).
//
// Other packages never read consumption_records or its sums
// themselves; they ask this package for the sums they need (issue 8,
// "Tables have owners"):
//
//   - invoice's bills and 欠票 position are the resale cash of a set of
//     partners per billing period and entity (ResaleByPeriod, from the
//     rollups) and per minute and direction (ResaleByMinute);
//   - the partner bill (internal/bill) is a report over the lines and
//     their sums and nothing else (its chart of periods and its products
//     read consumption_months). The rollups exist for it, and this package
//     writes these tables, keeps them in step (the trigger) and proves it
//     (Check), so the bill's queries live here (bill.go: BillingPeriods,
//     PeriodTotals, PeriodLines, PeriodByProduct, PeriodCustomers,
//     CountPeriodLines, StreamPeriodLines) and bill keeps who may read,
//     the tabs, paging and filters.
//
// The pages read consumption_records of the tenant: a summary per
// customer, the details, and orders (lines grouped by order number). A
// member whose only role is 客户经理 sees only its customers
// (access.Principal.CustomerCondition).
//
// Crashes (issue 17): an import has three attempts; one cut short (its
// server died, or stopped past its grace) rolled back and the next reads
// the stored file again; an import still running a day after it was
// queued is marked failed by an hourly sweep (FailStale).
package consumption
