// Package funds is 账务 > 资金管理 (seed 003 §12.1.3, §12.1.9; digest §3.9–3.12,
// §4.7–4.8):
//
//   - the partner's recharge account: balance, dedicated recharge account
//     number (R18, §12.1.3.5), recharges recorded when vendor finance
//     confirms a bank receipt (§12.1.3.1), 收支明细 with filters and a
//     streamed CSV export (§12.1.9.24), the balance alert threshold
//     (设置余额预警, §7.1.1 table 7-1) that messages the main account when a
//     debit crosses it;
//   - transfers (拨款) to and recoveries (回收) from resale (代售) customers
//     with an active association, one or many at once, previewed then
//     confirmed, without a limit on their number (R17, §12.1.3.3); the
//     customer's spending never charges the partner again (§12.1.3.4);
//     调账记录 filtered by type 拨款 / 回收 / 解除关联回收 (§12.1.3.10);
//   - unbinding recovery: RecoverOnUnbind returns a resale customer's
//     partner-funded balance to the partner in the caller's transaction
//     when the association ends or switches to consulting (§12.4.4,
//     §12.4.19, §12.1.3.10);
//   - withdrawals (提现, §12.1.3.6–7, R19) whose bank account holder must
//     match the funding source, paid or rejected by vendor finance.
//
// Every method takes the acting principal first: Service serves the tenant
// of a partner member (access.Principal.Tenant), Recharges and Payouts are
// for vendor staff only (access.Principal.Staff); a principal of another
// kind is refused (Forbidden) and nothing moves.
//
// Every movement goes through internal/ledger in one transaction with its
// audit row; every money-moving request carries an idempotency key; when
// the tenant requires it (step-up), money operations ask for the current
// password again.
package funds
