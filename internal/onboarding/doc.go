// Package onboarding is joining the partner network (加入合作伙伴网络,
// HCPN onboarding, seed 003 §3): public registration of a company and its
// main account, the onboarding form (company information, contacts, the
// four agreements, an optional licence file) and the application type
// "hcpn_onboarding" that the approval engine runs.
//
// Automatic checks at submission (seed 003 §3.2–3.5):
//   - credit code checksum (GB 32100-2015; an organization code is
//     accepted but left to a person);
//   - site: this Partner Center is the China site, and the China and
//     international sites do not interoperate (§3.5);
//   - same legal entity: another ACTIVE partner with the same credit code
//     means the company is already a partner (§3.2): the form shows the
//     seed notice, only contacts and agreements are asked, the company
//     data is reused and the application is approved at once;
//   - name match: a same-credit-code company under another name cannot be
//     decided automatically.
//
// Anything not decided goes to manual review (人工审核) with an ecosystem
// manager within 3 working days. Approval makes the tenant active (its
// main account then holds every menu), sets joined_hcpn_at and the
// ecosystem manager; rejection marks it rejected with the reason, and the
// admin may fix the form and submit a new application.
package onboarding
