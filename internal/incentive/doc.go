// Package incentive is 激励对账 (seed 003 §12.1.5.4, §12.1.5.33,
// §12.1.5.43–45; build-plan 3.C; issue 12): the incentive policies the
// vendor keeps per year, the bills they give each partner and period
// (激励汇总) and the bills' lines (激励明细). It owns incentive_policies,
// incentive_bills and incentive_details; it reads indicators and
// performance lines through internal/performance.
//
// Rules it holds:
//   - growth incentive (R29, §12.1.5.4): an eligible partner (a core or
//     leading solution provider, or a master distributor) whose threshold
//     indicator grew by more than the policy's rate year on year
//     (T(Y) ÷ T(Y−1) − 1 > 30%) gets the ratio of the tier its threshold
//     increment T(Y) − T(Y−1) falls in (4% from 1,000,000, 6% from
//     3,000,000, 8% from 5,000,000; no tier, no incentive) on its base
//     increment B(Y) − B(Y−1); the total is rounded half-up to 2 places.
//   - threshold incentive (§12.1.5.45): the ratio of the tier the
//     threshold indicator's value falls in, on the base indicator's value.
//   - lines (§12.1.5.4): line incentive = line performance × total ÷ Σ
//     line performance, half-up to 8 places, the residue not forced
//     (money.AllocateHalfUp; written as one INSERT … SELECT so a bill of
//     a million lines is one statement — TestAllocationMatchesMoney proves
//     the SQL gives money.AllocateHalfUp's figures).
//   - states (§12.1.5.4, §12.1.5.43): 预估 estimate (recomputed by the
//     hourly job; one aggregate row shown, association --) → 公示中
//     publicity (the vendor publishes with an end date; the lines are
//     written then) → 待确认 pending (the vendor publishes the final bill)
//     → 已确认 confirmed (the partner's 确认对账). Payout comes later
//     (issue 13).
//   - reverse adjustments (§12.1.5.45): once a bill left 预估, a
//     recomputation that differs from what the partner's bills of the
//     policy and period add up to opens one adjustment bill of the
//     difference (逆向负向调整 when negative, 逆向正向调整 when positive),
//     itself 预估 until published; its lines are the new allocation less
//     what earlier bills gave each line.
//   - zero and negative incentives are explained (§12.1.5.33, R43): the
//     bill's calculation names why (growth not above the rate, increment
//     below the first tier, not a leveled solution provider, …) and the
//     pages list the seed's reasons.
package incentive
