-- +goose Up
-- The vendor administrator chooses which ecosystem managers review the
-- onboarding of companies that have no ecosystem manager yet (新伙伴入驻
-- 审核人). Among them the least busy one gets each new application; when
-- none is chosen, every active ecosystem manager is in the pool.
ALTER TABLE users ADD COLUMN onboarding_reviewer boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD CONSTRAINT users_onboarding_reviewer_is_eco_manager
    CHECK (NOT onboarding_reviewer OR vendor_role = 'eco_manager');

-- +goose Down
ALTER TABLE users DROP CONSTRAINT users_onboarding_reviewer_is_eco_manager;
ALTER TABLE users DROP COLUMN onboarding_reviewer;
