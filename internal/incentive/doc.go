// Package incentive is 激励对账 (seed 003 §12.1.5.4, §12.1.5.33,
// §12.1.5.43–45; build-plan 3.C; issue 12): the incentive policies the
// vendor keeps per year, the bills they give each partner and period
// (激励汇总) and the bills' lines (激励明细); and 激励管理 (§12.1.5.5–45,
// R32–R41; build-plan WP4; issue 13): the payable incentives of confirmed
// bills, the payment applications (申付单) that pay them, the partner's
// invoices for them, and their expiry. It owns incentive_policies,
// incentive_bills, incentive_details, incentive_items,
// payment_applications, incentive_invoices, incentive_nettings and
// incentive_settings; it reads indicators and performance lines through
// internal/performance and moves money only through internal/ledger.
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
//     → 已确认 confirmed (the partner's 确认对账) → 发放成功 paid (every
//     incentive of the bill paid).
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
//   - applying (§12.1.5.21–23, §12.1.5.36, R38, R40): negatives always go
//     with the selection; the total must be ≥ 0 (else the seed's
//     sentence); one submission, one 申付单 iTh-YYYYMMDDNNNNN, idempotent
//     by the form's key; the business information must be certified.
//   - methods (R34, §12.1.5.14): resale incentives generated from October
//     2023 go to the account with the invoice owed (记欠票) or to voucher
//     quota; the others by bank, to the account, or to voucher quota; fixed
//     once chosen (§12.1.5.5). Without an invoice the application completes
//     at once: 返华为云账户 posts a recharge (source incentive, or
//     incentive_owed for 记欠票, which the invoice page counts as owed),
//     转代金券额度 credits the partner_voucher_quota account.
//   - the partner's invoice (§12.1.5.16–19, §12.1.5.31–32, §12.1.5.39,
//     R32, R35, R40–R41, R54): invoice amount = incentive ÷ 1.06 × (1.06
//     general | 1.03 small-scale), half-up to the fen; special or
//     electronic special only, one of four contents; several invoices per
//     application, never one for several; to the signing entity at
//     submission. Finance's 登记收票 verifies the rates against the
//     taxpayer type and the sum against the invoice amount; payment is
//     promised within 15 natural days (R36).
//   - expiry and netting (§12.1.5.20, §12.1.5.35, R37–R39): a positive
//     incentive expires a year after the partner's programme identity
//     lapsed; negatives never expire; a daily job writes off the due
//     positives with the pending negatives and leaves −(N − P) when the
//     negatives are larger (+200 / −600 → −400).
//   - every state change writes its webhook-ready event (internal/events)
//     and, where the partner cares, a 站内信.
package incentive
