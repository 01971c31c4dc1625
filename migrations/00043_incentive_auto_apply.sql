-- +goose Up
-- 自动申请 (seed 003 §12.1.5.29; issue 13): the main account's switch and
-- default payout method; a daily job applies the eligible incentives.
CREATE TABLE incentive_settings (
    partner_id     bigint      PRIMARY KEY REFERENCES partners (id) ON DELETE CASCADE,
    auto_apply     boolean     NOT NULL DEFAULT false,
    -- the method of incentives that need an invoice (bank or account);
    -- resale incentives from October 2023 go to the account, invoice owed.
    default_method text        NOT NULL DEFAULT 'account' CHECK (default_method IN ('bank', 'account')),
    updated_by     bigint      REFERENCES users (id) ON DELETE SET NULL,
    updated_at     timestamptz NOT NULL
);

-- +goose Down
DROP TABLE incentive_settings;
