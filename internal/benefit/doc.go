// Package benefit is 权益 (seed 003 §10.1–§10.2; build-plan 6.E–6.F; issue
// 15): the vendor's yearly benefit policies per benefit type and partner
// tier, the partner's applications through the approval engine, the
// vendor's second action that issues the benefit, the test vouchers it
// issues to the partner and the exam vouchers and lab points it issues to
// persons. It owns benefit_policies, benefit_applications,
// benefit_vouchers and person_vouchers.
//
// Rules it holds:
//   - tiers (§10.2.2, §10.3.2, "按各路径每年的政策规定执行"): a partner's
//     tier is its development path and stage (software:role_certified …)
//     or its programme (solution_provider, master_distributor); a benefit
//     without a policy for the tier and year cannot be applied for.
//   - caps (§4.1.10, §10.1.1): the cap is the partner entity's — every
//     account with the same credit code — per year and benefit type,
//     shared across its solutions: "总额度不得超出权益规定上限". Pending,
//     approved and issued applications count; an advisory lock on the
//     entity, year and type makes two racing applications take the last
//     of a cap once.
//   - states (§10.3.7, §10.4.3): 已提交 submitted (in the ecosystem
//     manager's review) → 审核通过 approved → 权益已发放 issued (the vendor
//     administrator's second action) | 已驳回 rejected | 已撤回 withdrawn;
//     审核通过 is not 权益已发放, and the pages say so.
//   - 测试券 (§10.2.3–5): the form of the seed's screenshot — the solution,
//     the amount, 申请说明 (≤ 1,000), a price-calculator share link as
//     资源配置说明, the planned period, the two 须知 sentences; issuance
//     creates a voucher of the partner valid 3 months.
//   - 考试券 and 云实验 (§10.3, §10.4) are issued to persons linked to the
//     partner (people.Linked) with a bound e-mail — others are not
//     selectable (§10.3.5); project-specialist status is not required
//     (§10.3.6); HCIX needs the person's Uniportal account (§10.3.3). Their
//     caps count vouchers and points. Each person's voucher is theirs
//     alone (§10.3.10, "严禁转售"): HCCDX vouchers and lab points are
//     redeemed within 7 natural days of issue, then valid 1 year; HCIX
//     vouchers are valid 1 year after redemption (§10.3.9, §10.4.5,
//     N39–N41). The sweep expires the unredeemed ones.
//   - a partner with a benefit in progress cannot leave its path (a
//     path-exit blocker); cloud resellers have no 权益 menu (§12.1.9.17).
package benefit
