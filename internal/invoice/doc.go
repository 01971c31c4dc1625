// Package invoice is 账务 > 发票管理 (seed 003 §12.1.4, §12.1.9.4; digest
// §3.13, §4.9, rules R20–R27, R51–R53): the partner's invoice information,
// the bills it can invoice, invoice applications and their life, and
// vendor finance's desk that issues, mails and takes invoices back.
//
// # Bills and what is invoiceable
//
// A bill (账单) is (partner, billing period, signing entity). Its
// invoiceable amount is the cash (cash_paid) of the consumption records of
// the partner's RESALE customers in that month billed by that entity —
// consumption plus refunds (negative) plus adjustments. Vouchers,
// stored-value cards, prepaid recharges and reward money are never
// invoiceable (R21, §12.1.4.3, §12.1.4.9). A master distributor's bills
// include its cloud resellers' resale customers (§12.2.4). consumption_
// records.signing_entity says which entity bills a line; a partner whose
// signing_entity_changed_at is NULL has only 华为软件 ('software'), one that
// changed also has 华为云计算 ('cloud'), one tab each.
//
// # Never split a bill (R22)
//
// An invoice covers whole bills: invoice_bills holds them, and its partial
// unique index (partner, period, entity) WHERE active lets a bill be on at
// most one live invoice. Applications of a tenant are serialized by a lock
// on its partner row, so two applications for the same bill at once give
// one invoice and one "already invoiced" message; the index is the last
// guard. A returned invoice (已退票) sets its rows inactive and the bills
// can be applied for again.
//
// By billing periods: the chosen bills are taken whole, several periods
// on one invoice (R22, §12.1.4.10).
//
// By a specified amount (§12.1.4.20, R26): bills are matched refunds
// first — months whose refunds outweigh their consumption, then months
// with refunds or adjustments — then the rest from the oldest period to
// the newest. Because a bill is never split, the amount must be reached
// exactly by that running sum of whole bills. An amount that would end
// inside a bill is refused with a message naming that bill and the two
// nearest amounts that need no split (the lower and the higher running
// sums). An amount above everything invoiceable is refused too. This is
// our reading: the seed's example table is garbled, and taking part of a
// bill would contradict §12.1.4.10.
//
// # Amounts (R20, R23, R24)
//
// The invoice amount is tax-inclusive (价税合计). Tax = amount × 6 / 106,
// rounded half-up to the fen (shopspring DivRound; the schema CHECKs the
// same with round(amount * 6 / 106, 2)); net = amount − tax. Content is
// always 云服务费 and the rate 6%. Postage: a paper invoice under ¥100 goes
// freight collect (到付, the applicant pays); from ¥100 the vendor pays;
// electronic invoices are not mailed. Electronic invoices exist only for
// general VAT invoices; a special VAT invoice is paper and needs complete
// invoice info (§12.1.4.8, §12.1.4.16).
//
// # Invoice information (R25)
//
// One valid record per partner account (partial unique index); a second
// one is refused; editing replaces the valid record's values and the
// audit row keeps the previous ones. Title ≤ 100 bytes (UTF-8) and ≤ 50
// characters; the taxpayer id is checked with internal/partner's unified
// social credit code (or organization code) checksum. Applications copy
// the info, so a later edit does not change an issued invoice.
//
// # States
//
// applied (已申请) → issued (已开票; an electronic invoice's PDF, drawn by
// document.go with internal/platform/pdf — fonts embedded, names and the
// remark wrapping in boxes that grow, amounts shrinking in their columns —
// is stored and downloadable) → mailed (已邮寄, paper only); issued or mailed →
// returned_requested (退票中, the partner's 退票 with reason, courier,
// tracking number and a remark of at most 128 characters; it cannot be
// withdrawn, §12.1.9.4) → returned (已退票, accepted by vendor finance,
// bills released). Every transition locks the invoice row, checks the
// state, and writes an audit row in the same transaction.
//
// # Signing-entity change (R51–R53)
//
// Compute is a pure function over a partner's events (recharges,
// consumption, refunds, invoices, the change instant) that gives the
// invoiceable amount per entity and the owed invoice amount (欠票); the
// three examples of §12.1.9.4 are its table tests. The invoice page shows
// the owed amount computed from the partner's recorded lines and invoices
// when it is not zero.
package invoice
