// Package bizinfo is 商业信息认证, business-information certification
// (seed 003 §6.2; build-plan 1.B; issue 11): the bank account, invoicing
// details and finance contact the vendor pays a partner with. It owns
// business_infos and supplier_bank_records.
//
// Rules it holds:
//   - the main account submits (§6.2.1); members with
//     profile.business.view read. The company code type is always the
//     unified social credit code (§6.2.4) and the currency follows the
//     signing entity (§6.2.5: CNY for both entities, inferred);
//   - corporate accounts only: the account name must equal the company
//     name, compared as onboarding compares names (spaces and full-width
//     parentheses normalised); otherwise the seed's sentence "不支持，商业
//     信息认证需要对公打款，银行账户必须与公司名称一致。" (§6.2.3). Account
//     numbers have 8–30 digits, branch codes 12 (CNAPS, inferred);
//   - the taxpayer type (一般纳税人 / 小规模纳税人) is chosen once; after a
//     certification the partner cannot change it (§6.2.11), vendor finance
//     does (ChangeTaxpayer);
//   - a submission is verified automatically by a River job (VerifyArgs,
//     after VerifyDelay; the seeds say 1–3 hours, §6.2.8): a company that
//     is a vendor supplier whose supplier record (supplier_bank_records,
//     inferred: maintained by the vendor) differs needs a bank letter
//     (§6.2.9: letter_needed → vendor drafts the letter PDF →
//     letter_pending → the partner uploads the stamped scan →
//     letter_review, due in LetterDays working days → certified, or back
//     to letter_pending with the reason); an account name equal to the
//     company's only once normalised goes to a person (pending_manual →
//     certified | failed with the reason); anything else is certified;
//   - re-certification (重新认证, §6.2.10) is a new submission; the
//     certified details stay the payout target until the new ones are
//     certified (then the old row is superseded). One submission in
//     progress and one certified row per partner (unique indexes);
//   - a random amount of 0.01–0.99 is recorded per submission and shown
//     to the vendor (§6.2.6–6.2.7: a simulation of the verification
//     transfer; it need not be returned).
//
// Other packages ask Certified(ctx, g, partnerID) whether a partner is
// certified and get its certified details (incentive payouts, MDF,
// settlement); Service.Required says whether a solution provider or
// master distributor still has to certify (§6.2.2, the home to-do).
package bizinfo
