// Package nre is 一次性工程费用 (NRE, seed 003 §10.8; build-plan 7.B; issue
// 16): the cash incentive for a software partner's migration and
// development work on an ecosystem special programme's solution. It owns
// nre_solutions, nre_applications and nre_milestones.
//
// Rules it holds:
//   - eligibility (§10.8.2), all three: the partner's solution is in an
//     ecosystem special programme (昇腾云/盘古大模型, 鲲鹏云, 高斯数据库,
//     鸿蒙应用上云), has passed its admission certification, and is not yet
//     listed — the solutions and their flags are the vendor's to record
//     (these solutions are in no other list of ours).
//   - one NRE per solution (§10.8.3): "一个方案仅可申请一次NRE"; work done
//     before the application is not paid for (§10.8.9): "所有在申请前完成
//     的改造，华为云不再激励" — the form asks the start of the work, from
//     today.
//   - the review has two stages (approval type nre): 技术评估 by the
//     ecosystem manager (materials agreed with the PSA first, §10.8.6), then
//     商业价值终评 by the vendor administrator. Approved, the NRE is 协议待签署
//     without an amount (§10.8.8): "NRE最终的激励金额根据NRE协议签署的金额来
//     验收…由生态经理上传确认后，即可在伙伴中心展示".
//   - the agreement (§10.8.7): the ecosystem manager uploads the signed
//     agreement with its amount — at most ¥500,000 per product (§10.8.10,
//     N84) — and its milestones (their amounts add up to it); the vendor
//     administrator reviews it (协议复核) before it takes effect (协议生效).
//     A small review of its own: the approval engine's applications are
//     the partner's, and this one is the vendor's.
//   - each milestone is accepted on the partner's acceptance application
//     (approval type nre_acceptance, the ecosystem manager) and then paid by
//     vendor finance by bank transfer with its reference (idempotent by the
//     form's key); the NRE is completed when every milestone is paid.
package nre
