-- +goose Up
-- 合作伙伴共拓计划 PCE (seed 003 §11.1.1; build-plan 5.A; issue 14): a
-- program membership joined by accepting the agreement and the commitment,
-- admitted at once; no certificate year (valid_until stays empty). The
-- vendor's PCE whitelist opens the entry to a partner in no program or
-- path (§11.1.1.7).
ALTER TABLE program_memberships DROP CONSTRAINT program_memberships_program_check;
ALTER TABLE program_memberships ADD CONSTRAINT program_memberships_program_check
    CHECK (program IN ('solution_provider', 'master_distributor', 'cloud_reseller', 'pce'));
ALTER TABLE program_memberships DROP CONSTRAINT program_memberships_check;
ALTER TABLE program_memberships ADD CONSTRAINT program_memberships_active_check CHECK (status <> 'active'
    OR (joined_at IS NOT NULL AND certificate_no IS NOT NULL AND (valid_until IS NOT NULL OR program = 'pce')));
ALTER TABLE partner_identities DROP CONSTRAINT partner_identities_identity_check;
ALTER TABLE partner_identities ADD CONSTRAINT partner_identities_identity_check
    CHECK (identity IN ('solution_provider', 'master_distributor', 'cloud_reseller', 'software', 'service', 'si', 'learning', 'pce'));
ALTER TABLE partners ADD COLUMN pce_whitelisted boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE partners DROP COLUMN pce_whitelisted;
DELETE FROM partner_identities WHERE identity = 'pce';
DELETE FROM program_memberships WHERE program = 'pce';
ALTER TABLE partner_identities DROP CONSTRAINT partner_identities_identity_check;
ALTER TABLE partner_identities ADD CONSTRAINT partner_identities_identity_check
    CHECK (identity IN ('solution_provider', 'master_distributor', 'cloud_reseller', 'software', 'service', 'si', 'learning'));
ALTER TABLE program_memberships DROP CONSTRAINT program_memberships_active_check;
ALTER TABLE program_memberships ADD CONSTRAINT program_memberships_check
    CHECK (status <> 'active' OR (joined_at IS NOT NULL AND valid_until IS NOT NULL AND certificate_no IS NOT NULL));
ALTER TABLE program_memberships DROP CONSTRAINT program_memberships_program_check;
ALTER TABLE program_memberships ADD CONSTRAINT program_memberships_program_check
    CHECK (program IN ('solution_provider', 'master_distributor', 'cloud_reseller'));
