-- +goose Up
-- 商机 (seed 002 L17–18; build-plan 5.D; issue 14): a partner's business
-- opportunities on its sub-customers (and its cloud resellers'), with the
-- customer's industry, type, confidence, stage, expected monthly spend, an
-- owner (the customer manager) and progress entries.
CREATE TABLE deals (
    id              bigserial   PRIMARY KEY,
    partner_id      bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    customer_id     bigint      NOT NULL REFERENCES customers (id),
    -- the partner whose customer it is: the partner itself or one of its cloud resellers
    customer_partner_id bigint  NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    title           text        NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    industry        text        NOT NULL,
    -- 商机类型
    kind            text        NOT NULL CHECK (kind IN ('new', 'expansion', 'migration', 'renewal')),
    -- 把握度, percent
    confidence      int         NOT NULL CHECK (confidence IN (10, 30, 50, 70, 90)),
    -- 商机阶段
    stage           text        NOT NULL CHECK (stage IN ('lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost')),
    -- 预计月流水 (yuan)
    monthly_revenue numeric     NOT NULL CHECK (monthly_revenue >= 0 AND monthly_revenue = round(monthly_revenue, 2)),
    description     text        NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    owner_user_id   bigint      NOT NULL REFERENCES users (id),
    created_by      bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX deals_partner_idx ON deals (partner_id, updated_at DESC);
CREATE INDEX deals_owner_idx ON deals (partner_id, owner_user_id);

-- 新增商机进展
CREATE TABLE deal_progress (
    id         bigserial   PRIMARY KEY,
    deal_id    bigint      NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    note       text        NOT NULL CHECK (length(note) BETWEEN 1 AND 1000),
    stage      text        NOT NULL,
    created_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX deal_progress_deal_idx ON deal_progress (deal_id, created_at);

-- +goose Down
DROP TABLE deal_progress;
DROP TABLE deals;
