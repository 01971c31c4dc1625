package components

import "strings"

// The meanings a state badge can have: one colour each, across the app.
const (
	// TonePending: waiting for someone's action, or a warning (amber):
	// 待确认, 待打款, 待提交, 退票中, 草稿, 部分退订.
	TonePending = "pending"
	// ToneSuccess: done, active, in effect (green): 已入驻, 已完成, 已打款,
	// 生效中, 已开票.
	ToneSuccess = "success"
	// ToneDanger: refused, failed, disabled or terminated (red): 已驳回,
	// 失败, 已停用, 已终止.
	ToneDanger = "danger"
	// ToneNeutral: closed in the normal course, or nothing to say (grey):
	// 已解除, 已过期, 已撤销, 已撤回, 已退订.
	ToneNeutral = "neutral"
	// ToneInfo: in progress, under review or being processed (blue): 审核中,
	// 保护中, 已发送, 排队中, 导入中, 已申请.
	ToneInfo = "info"
)

// badgeClasses are the dot and text colours of each meaning.
var badgeClasses = map[string][2]string{
	TonePending: {"bg-amber-500", "text-amber-700"},
	ToneSuccess: {"bg-emerald-500", "text-emerald-700"},
	ToneDanger:  {"bg-rose-500", "text-rose-700"},
	ToneNeutral: {"bg-slate-400", "text-slate-600"},
	ToneInfo:    {"bg-sky-500", "text-sky-700"},
}

// colourNames are the colour names badges were once given; web/home_pending.go
// still names its items' tones this way.
var colourNames = map[string]string{
	"amber": TonePending,
	"green": ToneSuccess,
	"red":   ToneDanger,
	"grey":  ToneNeutral,
	"blue":  ToneInfo,
}

// tones is the one table from the state values the views show to their
// meaning. A state word means the same in every domain that uses it
// ("rejected" is red for an onboarding application, a customer request
// and a withdrawal alike); where a domain's word needs a meaning of its
// own, or is not a state but a kind, its key is qualified by the domain
// ("invoice:returned", "check:warn", "ledger:transfer").
var tones = map[string]string{
	// Words shared by several domains.
	"active":    ToneSuccess, // partner, member, vendor staff, customer association, contract
	"disabled":  ToneDanger,  // partner, member, vendor staff
	"rejected":  ToneDanger,  // onboarding, report, customer request, withdrawal, application
	"pending":   TonePending, // customer request 待确认, withdrawal 待打款
	"completed": ToneSuccess, // customer request
	"cancelled": ToneNeutral, // customer request
	"expired":   ToneNeutral, // report, invitation, contract
	"paid":      ToneSuccess, // withdrawal 已打款, customer order 已支付
	"queued":    ToneInfo,    // export, consumption import
	"running":   ToneInfo,    // export, consumption import
	"done":      ToneSuccess, // export, consumption import
	"failed":    ToneDanger,  // export, consumption import

	// partner.Status*
	"registered":     TonePending,
	"pending_review": ToneInfo,

	// customer.Report*
	"protected":  ToneInfo,
	"in_review":  ToneInfo,
	"associated": ToneSuccess,

	// customer.Invitation*: a revoked invitation was replaced by a new one.
	"sent":     ToneInfo,
	"opened":   ToneInfo,
	"accepted": ToneSuccess,
	"revoked":  ToneNeutral,

	// customer.Association*
	"ended": ToneNeutral,

	// contract.State*
	"terminated": ToneDanger,

	// approval.State*
	"draft":     TonePending,
	"submitted": ToneInfo,
	"returned":  TonePending, // 待补充材料: the applicant's turn
	"approved":  ToneSuccess,
	"withdrawn": ToneNeutral,

	// bizinfo.State*: 商业信息认证.
	"bizinfo:auto_verifying": ToneInfo,
	"bizinfo:pending_manual": ToneInfo,
	"bizinfo:letter_needed":  TonePending,
	"bizinfo:letter_pending": TonePending,
	"bizinfo:letter_review":  ToneInfo,
	"bizinfo:certified":      ToneSuccess,
	"bizinfo:failed":         ToneDanger,
	"bizinfo:superseded":     ToneNeutral,
	"bizinfo:none":           TonePending,

	// program.State*: 华为云伙伴计划 memberships; invite:* the reseller
	// invitation links.
	"program:none":      ToneNeutral,
	"program:applied":   ToneInfo,
	"program:invited":   TonePending,
	"program:active":    ToneSuccess,
	"program:rejected":  ToneDanger,
	"program:withdrawn": ToneNeutral,
	"program:declined":  ToneNeutral,
	"program:expired":   ToneDanger,
	"program:delisted":  ToneDanger,
	"program:exited":    ToneNeutral,
	"invite:pending":    TonePending,

	// performance.State*: 业绩汇总.
	"performance:estimate":        ToneInfo,
	"performance:draft":           TonePending,
	"performance:publicity":       ToneInfo,
	"performance:publicity_ended": TonePending,
	"performance:final":           ToneSuccess,

	// incentive.State*: 激励汇总.
	"incentive:estimate":  ToneInfo,
	"incentive:publicity": ToneInfo,
	"incentive:pending":   TonePending,
	"incentive:confirmed": ToneSuccess,
	"incentive:paid":      ToneSuccess,
	"item:pending":        TonePending,
	"item:applied":        ToneInfo,
	"item:paid":           ToneSuccess,
	"item:expired":        ToneNeutral,

	"opportunity:draft":         ToneNeutral,
	"opportunity:in_review":     TonePending,
	"opportunity:approved":      ToneSuccess,
	"opportunity:review_failed": ToneDanger,
	"opportunity:duplicate":     ToneDanger,
	"opportunity:won":           ToneSuccess,
	"opportunity:lost":          ToneNeutral,
	"ho:pending":                TonePending,
	"ho:accepted":               ToneSuccess,
	"ho:rejected":               ToneNeutral,
	"ho:expired":                ToneNeutral,
	"ho:withdrawn":              ToneNeutral,
	"outbox:queued":             TonePending,
	"outbox:sent":               ToneSuccess,
	"outbox:failed":             ToneDanger,
	"webhook:active":            ToneSuccess,
	"webhook:disabled":          ToneNeutral,
	"library:active":            ToneSuccess,
	"library:taken_down":        ToneNeutral,
	"deal:lead":                 ToneNeutral,
	"deal:qualified":            ToneInfo,
	"deal:proposal":             ToneInfo,
	"deal:negotiation":          TonePending,
	"deal:won":                  ToneSuccess,
	"deal:lost":                 ToneNeutral,
	"benefit:submitted":         TonePending,
	"benefit:approved":          ToneInfo,
	"benefit:issued":            ToneSuccess,
	"benefit:rejected":          ToneDanger,
	"benefit:withdrawn":         ToneNeutral,
	"invite:cancelled":          ToneNeutral,
	"cert:pending":              TonePending,
	"cert:approved":             ToneSuccess,
	"cert:rejected":             ToneDanger,
	"specialist:submitted":      TonePending,
	"specialist:approved":       ToneSuccess,
	"specialist:rejected":       ToneDanger,
	"specialist:withdrawn":      ToneNeutral,
	"specialist:cancelling":     TonePending,
	"specialist:cancelled":      ToneNeutral,
	"voucher:issued":            ToneInfo,
	"fh-month:submitted":        TonePending,
	"fh-month:approved":         ToneSuccess,
	"fh-month:rejected":         ToneDanger,
	"fh-month:withdrawn":        ToneNeutral,
	"fh-payment:submitted":      TonePending,
	"fh-payment:paid":           ToneSuccess,
	"fh-program:invited":        TonePending,
	"fh-program:joined":         ToneSuccess,
	"fh-program:ended":          ToneNeutral,
	"fh-program:applied":        TonePending,
	"fh-program:rejected":       ToneDanger,
	"nre:assessing":             TonePending,
	"nre:final_review":          TonePending,
	"nre:agreement_pending":     ToneInfo,
	"nre:agreement_review":      TonePending,
	"nre:effective":             ToneSuccess,
	"nre:completed":             ToneSuccess,
	"nre:rejected":              ToneDanger,
	"nre:withdrawn":             ToneNeutral,
	"nre-milestone:pending":     ToneNeutral,
	"nre-milestone:accepting":   TonePending,
	"nre-milestone:accepted":    ToneInfo,
	"nre-milestone:paid":        ToneSuccess,
	"mdf-usage:submitted":       TonePending,
	"mdf-usage:approved":        ToneSuccess,
	"mdf-usage:rejected":        ToneDanger,
	"mdf-usage:withdrawn":       ToneNeutral,
	"mdf-usage:claimed":         ToneInfo,
	"mdf-usage:closed":          ToneNeutral,
	"mdf-claim:draft":           ToneNeutral,
	"mdf-claim:submitted":       TonePending,
	"mdf-claim:approved":        ToneInfo,
	"mdf-claim:rejected":        ToneDanger,
	"mdf-claim:invoiced":        TonePending,
	"mdf-claim:paid":            ToneSuccess,
	"voucher:redeemed":          ToneSuccess,
	"voucher:expired":           ToneNeutral,

	// incentive.App*: 申付单.
	"payout:submitted":        ToneInfo,
	"payout:awaiting_invoice": TonePending,
	"payout:invoice_received": ToneInfo,
	"payout:completed":        ToneSuccess,
	"payout:rejected":         ToneDanger,
	"invite:accepted":         ToneSuccess,
	"invite:revoked":          ToneNeutral,
	"invite:expired":          ToneNeutral,

	// approval.Check*: the outcome of an automatic check.
	"check:pass": ToneSuccess,
	"check:fail": ToneDanger,
	"check:warn": TonePending,
	"check:info": ToneInfo,

	// invoice.State*
	"invoice:applied":            ToneInfo,
	"invoice:issued":             ToneSuccess,
	"invoice:mailed":             ToneSuccess,
	"invoice:returned_requested": TonePending,
	"invoice:returned":           ToneDanger,
	// A bill without an invoice: nothing to invoice, or an amount still
	// to invoice.
	"bill:nothing": ToneNeutral,
	"bill:open":    TonePending,

	// Customer orders (consumption.OrderRow.Status); "paid" is shared.
	"partly_unsubscribed": TonePending,
	"unsubscribed":        ToneNeutral,

	// ledger.Tx* kinds of 收支明细 and 调账记录: money back into the account
	// is green, money allocated to customers blue, a withdrawal held
	// amber until finance pays it, after which it is closed.
	"ledger:recharge":          ToneSuccess,
	"ledger:recover":           ToneSuccess,
	"ledger:unbind_recover":    ToneSuccess,
	"ledger:withdraw_rejected": ToneSuccess,
	"ledger:transfer":          ToneInfo,
	"ledger:withdraw":          TonePending,
	"ledger:withdraw_paid":     ToneNeutral,
	"ledger:consumption":       ToneNeutral,

	// A setting switched on or off (two-step verification, step-up check).
	"on":  ToneSuccess,
	"off": ToneNeutral,
}

// lookup finds a key, falling back from "domain:state" to the shared
// "state".
func lookup(key string) (string, bool) {
	if t, ok := tones[key]; ok {
		return t, true
	}
	if _, state, ok := strings.Cut(key, ":"); ok {
		t, ok := tones[state]
		return t, ok
	}
	return "", false
}

// Tone is the meaning of a state value for its badge: a key of the table
// above, plain ("rejected") or qualified by its domain ("invoice:returned",
// which falls back to the plain word when the domain has no entry of its
// own). An unknown value is neutral.
func Tone(key string) string {
	if t, ok := lookup(key); ok {
		return t
	}
	return ToneNeutral
}

// Known reports whether the table has an entry for key.
func Known(key string) bool {
	_, ok := lookup(key)
	return ok
}

// badgeTone is the meaning of a badge's tone: a meaning, or one of the
// old colour names; anything else is neutral.
func badgeTone(tone string) string {
	if m, ok := colourNames[tone]; ok {
		return m
	}
	if _, ok := badgeClasses[tone]; ok {
		return tone
	}
	return ToneNeutral
}
