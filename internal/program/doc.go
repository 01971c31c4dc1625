// Package program is 计划 > 华为云伙伴计划 (seed 003 §5; build-plan 1.C;
// issue 11): a partner's memberships of the solution provider (SP),
// master distributor (MD) and cloud reseller (CR) programs, their
// certificates, annual assessments and renewals, and the master
// distributor's invitations of cloud resellers. It owns
// program_memberships, program_assessments and reseller_invitations; the
// partner package keeps partner_identities (the active set that access
// reads) and the reseller's parent, written in the same transaction.
//
// Rules it holds:
//   - SP joins by self-application (§5.1.1), reviewed by the partner's
//     ecosystem manager through the approval engine (type
//     program_solution_provider, 3 working days, inferred). Before
//     submitting, the page shows the check list (查看原因): the account is
//     onboarded; it is in no development path and is not a master
//     distributor (§5.1.2, refused with the seed's sentence); it is not a
//     cloud reseller (a CR account stays with its MD, §5.3.3 says a
//     company uses different accounts); another SP account of the same
//     legal entity (§5.1.3, N8) does not refuse: the reviewer sees it as
//     a warning. On approval the membership turns active with a
//     certificate, the identity solution_provider is added (default
//     items and menus follow, §7.1.1) and the applicant gets a 站内信;
//     the account stops being a customer (§5.1.4, shown as a banner).
//   - MD joins by the vendor's invitation (§5.2.1): national or regional
//     with a region class 1–3 (N43), only for an onboarded account in no
//     other program or path (§5.2.2); the main account accepts or
//     declines (inferred accept step, build-plan 1.C).
//   - CR joins by its MD's invitation link (§5.3, §4.5): valid
//     InvitationDays days and used once (inferred); the invitee is an
//     onboarded account in no program or path (伙伴空账号, §5.1.10). The
//     link between a reseller and its MD never changes (R74, §5.3.5): an
//     account that has a master distributor is refused with the inferred
//     sentence of build-plan 1.C, also after it exited. Resellers have no
//     levels (§5.3.2).
//   - Exits (§5.1.11, §5.2.7, §5.3.7: arranged offline with the
//     ecosystem manager) and delisting (摘牌, SP, §5.1.10) are recorded by
//     the vendor; the identity goes with them.
//   - A certificate is valid to 31 January of the year after joining
//     (inferred: the seeds renew "每年1月31日左右", §5.1.6, §5.2.4) and is
//     renewed by one year when the vendor-recorded assessment of the year
//     before passed (N21, N23); otherwise the membership expires (失效,
//     §5.1.12). Renew runs daily as a River job and acts on memberships
//     whose certificate ran out before the China date.
//
// The certificate PDF is drawn on request from the membership (its
// number, holder and validity), so a renewal needs no stored file.
//
// 合作伙伴共拓计划 PCE (seed 003 §11.1.1; build-plan 5.A; issue 14, pce.go)
// is a membership too: joined by the main account accepting the agreement
// and the commitment, admitted at once when the partner is an HCPN member
// whose entry is open — in a program or path, or on the vendor's PCE
// whitelist (partners.pce_whitelisted), else §11.1.1.7's sentence. It has
// an agreement number but no certificate year, and it is no "program" in
// the sense of §5.2.2 / §5.3: a PCE member may still be invited as a
// master distributor or accept a reseller link.
package program
