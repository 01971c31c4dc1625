// Package opportunity is 机会点 (seed 003 §11; build-plan 5.B; issue 14):
// opportunities a PCE member shares with the vendor (共享给华为, PO) and
// their review by the partner's ecosystem manager through the approval
// engine (type opportunity_po). It owns opportunities.
//
// Rules it holds:
//   - who (§11.1.2.2, §11.1.2.4): a partner in 合作伙伴共拓计划 (the pce
//     identity); members need the item 添加机会点.
//   - what (§11.1.1.2, §11.1.2.3, R1): customer full name (credit code
//     optional), industry, a customer contact with a phone (mandatory),
//     the need, a budget, the expected purchase within one year, the key
//     actions and business need, linked Offerings (optional; only linked
//     ones count in assessment), the support wanted, the partner's contact,
//     and the customer's authorisation ticked.
//   - states (§11.1.2.6–8): 草稿 draft (free edit) → 审核中 in_review (no
//     withdrawal, R5) → 已通过 approved (valid from the approval, the
//     protection's start) | 审核不通过 review_failed with 【信息不完整】 or
//     【机会点无效】 (the partner supplements and resubmits) | 审核不通过
//     duplicate with 【机会点重复】 (final); in_review → draft when the
//     ecosystem manager 驳回 at the partner's request; approved → 赢单 won
//     | 丢单 lost.
//   - protection (§11.1.2.9, R4): the same customer — normalised full name
//     or credit code — approved earlier wins; the reviewer sees earlier
//     valid opportunities as warnings (the automatic check), and approving
//     over one is refused with the reason. Approvals of one customer take
//     advisory locks on its keys in a fixed order, so two reviewers
//     approving competing opportunities at once cannot both win.
//   - confidentiality (§11.1.2.11, R78): on the vendor side only the
//     partner's ecosystem manager and the vendor administrator see them
//     (the engine's and the directory's scope).
package opportunity
