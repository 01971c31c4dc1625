// Package people is the people side of a partner (seed 003 §7.2, §4.2.1;
// build-plan 6.A–6.D; issue 15): personal Huawei accounts (个人华为账号)
// and their small console, the partner's invitations and links to them
// (组织 > 项目专员), their certificates (个人资质), and project specialists.
// It owns personal_profiles, specialist_invitations, specialist_links,
// project_specialists and personal_certificates.
//
// Rules it holds:
//   - a personal account is a user of kind personal whose login name is
//     its 华为云租户名, on one site (中国站 / 国际站 / 欧洲站) with a real-name
//     status; the partner center is the China site's.
//   - only the main account invites and unlinks (§7.2.1–7.2.2). An
//     invitation names the tenant name (§7.2.4); an account that is not
//     found — another site, an enterprise or IAM account, a wrong name — is
//     "未查询到账号信息" with the three hints of §7.2.4. A found account must
//     pass the five checks of §7.2.3, each shown with its reason: not
//     real-name verified as an enterprise; not linked to another partner;
//     real-name verified (China site); not a partner account; not linked
//     with 3 partners within a year. The checks run again when the person
//     accepts.
//   - an invitation is valid 7 days (§7.2.5, N30): "邀请链接有效期为7天，
//     若成员在7天内未进行关联，该链接将失效，管理员可以重新发起邀请" — the
//     sweep marks it 已失效, and re-inviting creates a new one.
//   - unlinking a project specialist is refused until the specialist is
//     cancelled (§7.2.2): "如果员工个人已成为项目专员，则需管理员先取消项目专员
//     后再解绑".
//   - certificates (§7.2.6–7.2.7): HCCDX and the professional ones come
//     from 云学堂 (a vendor CSV import stands in for the sync) and cannot
//     be deleted or moved; HCIA/HCIP/HCIE are uploaded with the
//     certificate file and reviewed by vendor staff — a small review of
//     its own, not the approval engine, because a person is no tenant —
//     and count once approved; the owner deletes one to move it (one
//     holder per certificate number). Linked persons' valid certificates
//     are the partner's (§7.2.6) and are the counts of the service and
//     SI path checks (paths.RegisterCertificateSource).
//   - a project specialist is of one path only (§7.2.9): "一个成员仅支持
//     申请成为一个合作伙伴发展路径的项目专员"; the main account applies with an
//     employment certificate or a valid certificate (§7.2.10), the
//     ecosystem manager reviews (approval type project_specialist); to
//     switch paths a cancellation (project_specialist_cancel) is approved
//     first. The since-date is recorded (FH needs 3 months, N66).
package people
