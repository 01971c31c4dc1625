// Package performance is 业绩 (seed 003 §12.1.5.1–3, §12.1.5.25–42; seed
// 004 G§3.1.3; build-plan 3.A; issue 12): the performance a partner's
// customers' spend forms, by line (业绩明细) and by month (业绩汇总). It
// owns performance_records, performance_summaries, performance_state, and
// the monthly sums kept with the records: performance_rollups (by customer
// and product type) and performance_months (by partner, reseller and
// manager only, for 业绩看板's trend).
//
// Rules it holds:
//   - formation (§12.1.5.1–2, R28): a consumption, refund or adjustment
//     line forms performance of its cash and stored-value-card share
//     (spending a card counts as cash) of the payable amount at 8 places
//     (R30: amount_payable × (cash_paid + card_paid) ÷ charged_amount,
//     truncated; a line paid in cash forms its whole payable amount, the
//     694.005 of §12.1.5.4); vouchers (test vouchers included) do
//     not count, nor do purchases of stored-value cards (product type
//     储值卡). Refunds form negative performance (§12.1.5.33). A line
//     counts for the partner it was imported for, i.e. the one associated
//     at the line's time (renewals included, §12.1.5.25); a cloud
//     reseller's line counts for its master distributor, with the
//     reseller named (R75). Lines with no performance are not recorded.
//     Non-counting cash coupons (不计业绩的现金券, paid apart from cash:
//     coupon_paid) and curated-mall items (严选商城, §12.1.5.37) form
//     none either (import columns 不计业绩现金券抵扣 and 严选商城).
//   - timing (§12.1.5.42): formal records form the evening after the day
//     of the line — a River job runs Form at FormHour (20:00 China time)
//     for every line of earlier days not yet formed: it reads the lines
//     since its last run (by id, waiting for a running import to commit)
//     and those an earlier run found not due (performance_pending), never
//     the millions already formed; late imports are caught up.
//   - summaries (§12.1.5.3, G§3.1.3): one per partner and billing month:
//     预估 estimate (the month is running) → 初稿 draft (job on the 1st) →
//     公示中 publicity (vendor publishes with an end date) → 公示结束
//     publicity_ended (job after the end date) → 终稿 final (vendor
//     finalises). A line formed for a month whose summary is already
//     published counts in the month it is formed (inferred, R44: part of
//     a month's consumption may count in the next).
//   - 预估 figures for the running month are the formed records plus the
//     imported lines not yet formed, labelled as estimates (beyond the
//     original, issue 12).
//   - a customer manager sees only its own customers' rows, through the
//     one scope helper (access.Principal.CustomerScope): a record carries
//     the manager of its customer when it formed (ManagerCondition on
//     manager_user_id: 业绩明细, its export, 业绩汇总's totals, 业绩看板),
//     while what is recomputed from today's customers — 指标信息 and the
//     预估 of lines not formed yet — follows today's assignment
//     (CustomerCondition). A customer reassigned keeps its past records
//     with the manager of their time.
package performance
