// Package fh is 专职人员激励 (Funding Head, seed 003 §10.6; build-plan 7.C;
// issue 16): partners in an FH programme are funded for their project
// specialists month by month and paid by quarter. It owns fh_programs,
// fh_persons, fh_months, fh_lines, fh_payments, and for the 2025 variant
// fh_scenario_tiers, fh_standards, fh_appraisals and fh_line_appraisals,
// for the SI variant fh_gradings. All four variants are built: the 2024
// service expert service (§10.6.1), the 2025 service expert capability
// building (§10.6.2), the SI presales solution expert (§10.6.3) and the LP
// lecturer funds (§10.6.4). A line is baseline × units × coefficient for
// each; each variant has its line generator and funds the project
// specialists of its path (PathOf).
//
// Rules it holds, 2024 expert service (§10.6.1):
//   - invitation only (§10.6.1.1, "当前FH权益为受邀申请"): vendor staff invite
//     a partner; its main account joins by accepting the agreement and the
//     compliance points of §10.6.2.10 (true materials; formal employees
//     with a contract valid in the period, no 劳务派遣; PIPL consent for
//     personal data; no confidential information).
//   - the persons are approved project specialists of the service path
//     linked to the partner (people.Specialists), each with a role and a
//     work city (社保所在地), kept up to date before each month end
//     (§10.6.1.2).
//   - the amount (§10.6.1.3, N56–N58): 激励总金额 = Σ 人力基线 × 100% × 3 ×
//     地域系数 for a quarter — read as a monthly line of baseline × 100% ×
//     coefficient, three months making the quarter; baselines 服务专家
//     50,000, 高级服务工程师 30,000, 高级顾问 80,000 (¥/month); coefficient
//     1.2 for 北京 广州 深圳 上海 南京 杭州 成都 福州 济南 长沙 重庆 武汉 西安 郑州,
//     1.0 for the other provincial capitals, 0.9 elsewhere; lines half-up
//     to the fen.
//   - one application per partner and month (N62), of a month already
//     begun, reviewed by the ecosystem manager (approval type fh_month);
//     a person is in one FH per month across every variant (§10.6.1.7,
//     N74: a unique live line per person and month).
//   - the quarter's payment application once its three months are
//     approved, without a deadline (§10.6.1.5); vendor finance pays it by
//     bank transfer with its reference (idempotent by the form's key).
//   - a partner with an FH programme cannot leave its path (message 9 of
//     §4.4.2); vendor staff end a programme (invited or joined) with a
//     reason, after which no month is applied for and the path is free,
//     while months and payments already applied for go on.
//
// 2025 capability building (§10.6.2):
//   - four scenarios (数据库, DevSecOps, 昇腾云, 盘古大模型), each at a tier
//     the vendor administrator sets (一档 150,000, 二档 200,000, 三档
//     300,000 per capability standard); a programme keeps the tier of the
//     day its agreement is signed.
//   - joining (§10.6.2.2): a role-certified (or differentiated) service
//     partner applies itself with five project specialists of the service
//     path holding a valid HCCDP (or HCCDE) of the scenario's direction
//     (GaussDB; Cloud Native DevOps; AI; AI or AI-AscendCloud), reviewed
//     by the ecosystem manager (approval type fh_join); a CTSP partner is
//     invited to a scenario by vendor staff. Either way the main account
//     signs with the four compliance points.
//   - the capability standards are the vendor administrator's; the
//     ecosystem manager records a passed appraisal (能力鉴定) of a service
//     specialist of a joined programme, a person and a standard once
//     (§10.6.2.6).
//   - a month's application pays the appraisals passed by the month's
//     end and not paid by a live month: Σ standards passed × the tier
//     amount (§10.6.2.8), one line per person (one FH per person and
//     month across the variants, §10.6.2.9); a rejected or withdrawn
//     month frees its appraisals.
//   - a 2025 quarter is applied for once it is over, none of its months
//     in review and one approved (the seed gives no rule: the 2024
//     quarterly model, without requiring three months). SI and LP
//     quarters follow the same rule.
//
// SI presales solution expert (§10.6.3):
//   - joining (§10.6.3.2): a differentiated (先进云) SI partner applies
//     (approval type fh_join); a role-certified SI partner the vendor
//     approves is invited. The main account signs the compliance points.
//   - the ecosystem manager grades an expert with a project as proof
//     (§10.6.3.6–10.6.3.7): an SI project specialist for three months or
//     more holding HCSP《基于华为云构建客户的业务体系》 and one of
//     HCCDP/HCCDE-Solution Architectures, HCIP/HCIE-Cloud Service
//     Solutions Architect; 高级 with a project of ¥300,000 / $50,000 cash
//     or more, 资深 of ¥2,000,000 / $300,000 or more counted from the
//     project's start month over twelve months at most, plus the
//     HCIE-CSSA or HCCDE-SA written exam (ticked, or proven by holding
//     either); after a first 资深 the second project is of the 资深 scale;
//     at most two gradings per expert; a project proves one grading.
//   - a month's application pays, per expert, the earliest grading not
//     paid by a live month: 4 × baseline × 100% (高级 30,000, 资深 50,000,
//     §10.6.3.8), the expert still a specialist holding the certificates.
//
// LP lecturer funds (§10.6.4):
//   - by invitation (加入...专项计划，即可申请); vendor staff set the
//     programme's 月度地区限额 (the seed leaves it to the ecosystem
//     manager) before its agreement is signed.
//   - a lecturer is an LP project specialist holding a valid HCCDP or
//     HCCDE course lecturer certificate (synced from 云学堂 as an HCCDP or
//     HCCDE whose direction names 讲师 / Lecturer).
//   - a month's application chooses a fund per lecturer: 讲师养成基金 once
//     per lecturer, the partner holding three certified lecturers or more,
//     at the limit × 2; 讲师专职投入基金 for a month of eight class-days or
//     more (6 hours each) at an average satisfaction of 4.25 or more, at
//     the limit × 1; the materials of §10.6.4.5 attached (in-service and
//     social-security proofs, the delivery's acceptance documents).
package fh
