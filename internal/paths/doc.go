// Package paths is 发展路径, the partner development paths (seed 003 §4;
// build-plan 1.D; issue 11): software, service, digital-transformation
// consulting & system integration (SI) and learning & enablement. It owns
// path_enrollments, path_invitations, solution_certifications and
// path_campaigns; the path identity itself lives in partner_identities
// (partner.Store), written in the same transaction.
//
// Rules it holds:
//   - one path per account (LC §3.4, inferred); an account in the
//     solution provider or master distributor program cannot join one
//     (the mirror of §5.1.2, inferred wording); a cloud reseller may.
//     Software and service are open to every onboarded account (选择角色);
//     SI only to accounts on the vendor's whitelist (§4.3.1), learning &
//     enablement only to invited ones (001:L15).
//   - stages joined → role_certified → differentiated, never skipping
//     (§4.2.3). The software path's stage follows the solution
//     certifications the vendor records (§4.1.1, §4.1.2, §4.1.7: ≥1
//     cloud-software certified solution → role, ≥1 advanced →
//     differentiation), each valid one year (§4.1.8, N11); their expiry
//     recomputes the stage (the daily job). Service and SI stages change
//     through applications (approval types path_role and path_diff)
//     whose checks compare the declared counts with the thresholds of
//     N13–N19 (service role: 2 entry + 2 working certificates, a higher
//     one replacing a lower, one HCSA+HCSP person, a case of the last 12
//     months and the employment certificate; service differentiation: 2
//     capability labels with one of the eight core ones, a dedicated team,
//     project practice; SI role: 4 presales experts with HCIP/HCCDP and 1
//     joint offering or label; SI differentiation: 10 experts, 1
//     HCIE/HCCDE, offerings and labels ≥ 3 with ≥ 2 labels). The
//     certificate counts come from the linked persons' valid certificates
//     (the people package registers the source, §7.2.6); the rest is
//     declared with proofs the reviewer checks. The learning & enablement
//     path has no stage applications in the seeds.
//   - a stage certificate is valid to 31 January of the next year (N16);
//     each December the vendor opens a re-review campaign (§4.2.8):
//     certified accounts submit path_rereview, approval renews to the
//     following 31 January, rejection cancels the certificate (back to
//     joined). A certificate that ends unrenewed lapses the same way.
//   - exit (§4.4.2) only before role certification, refused with the
//     seed's ten sentences. The first five are checked here; the others
//     (test and exam vouchers, MDF, FH, delivery support) are registered
//     by the packages that own those records (RegisterExitBlocker).
package paths
