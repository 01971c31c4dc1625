// Package fh is 专职人员激励 (Funding Head, seed 003 §10.6; build-plan 7.C;
// issue 16): partners invited to an FH programme fund their project
// specialists month by month and are paid by quarter. It owns fh_programs,
// fh_persons, fh_months, fh_lines and fh_payments. This part builds the
// 2024 service expert-service variant (§10.6.1); the 2025 capability
// building, SI presales and LP lecturer variants share the model and come
// next.
//
// Rules it holds:
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
package fh
