// Package mdf is 市场发展基金 (MDF, seed 003 §10.5; build-plan 7.A; issue
// 16): the vendor's yearly caps by tier, each partner entity's quota of the
// year, the usage applications (使用申请) that occupy it, the claims (兑现申报)
// that use it, and their payment by vendor finance. It owns mdf_caps,
// mdf_quotas, mdf_violations, mdf_usages and mdf_claims.
//
// Rules it holds:
//   - eligibility (§10.5.1–10.5.2): an onboarded partner with certified
//     business information (else "前往商业信息认证") whose tier has a cap,
//     and no violation flag for the year (§10.5.13, §10.5.19, N55).
//   - the tier (§10.5.3, N42–N46): a master distributor by the region
//     class of its address (1: 北京 上海 广东 深圳; 2: 江苏 浙江 湖北 四川
//     山东 陕西 福建 湖南 河南 重庆; 3: the rest), a solution provider by
//     its level, a path partner by its path and stage; the caps are the
//     vendor's ("具体以华为云官网发布的伙伴权益为准").
//   - the quota (§10.5.8, §10.5.15, N49, N54) is the partner entity's
//     (credit code) for the China year, tax included: cap − occupied −
//     used. A usage application occupies its budget at submission under
//     the quota row's lock (occupied + used ≤ cap, however many submit at
//     once); a rejection or withdrawal releases it; an approved claim
//     uses its amount and releases the rest (§10.5.17); a rejected claim
//     releases all.
//   - a usage application (§10.5.4–10.5.9): one of the seed's activity
//     types; a series of events within one quarter (§10.5.5); submitted at
//     least 10 working days before the first event, else a reason is
//     mandatory ("至少在活动前10个工作日提交，未提前10个工作日申请须说明原
//     因"); this year's budget for events by 31 January next year at the
//     latest (§10.5.8); the page warns that the activity waits for the
//     approval (§10.5.7); a change is a new application (§10.5.6).
//     Reviewed by the partner's ecosystem manager (approval type
//     mdf_usage). On 1 January the applications still open are rejected
//     with "未在12月31日前通过审批" (the year-end job).
//   - a claim (§10.5.10–10.5.14): one per usage application ("同一场营销活
//     动不可以拆开报销，包括但不限于以下场景：多人报销/多次报销/在多个计划中报
//     销。"); after the last event and within 90 days of it, or with the
//     supervisor's extension e-mail attached; a draft is kept 45 days
//     (the job deletes older ones); amount ≤ the approved budget; the
//     materials of the checklist (真实性证明材料, 盖章水单, 发票扫描件, 活动总结
//     材料, and 广告及媒体宣传总结 for advertising and digital marketing).
//     Reviewed by the ecosystem manager (approval type mdf_claim); then
//     the 开票清单 (from the certified business information) and the
//     partner's invoice, which must equal it exactly (§10.5.14); vendor
//     finance pays by bank transfer with its reference (idempotent by the
//     form's key) or sends the invoice back.
//   - a partner with MDF applications cannot leave its path (message 8 of
//     §4.4.2).
package mdf
