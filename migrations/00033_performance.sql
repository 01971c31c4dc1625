-- +goose Up
-- 业绩 (seed 003 §12.1.5.1–3; build-plan 3.A; issue 12): performance
-- formed from imported consumption, by line and by partner and month.
CREATE TABLE performance_summaries (
    id                bigserial   PRIMARY KEY,
    partner_id        bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    period            date        NOT NULL CHECK (period = date_trunc('month', period)::date),
    status            text        NOT NULL CHECK (status IN ('estimate', 'draft', 'publicity', 'publicity_ended', 'final')),
    total             numeric     NOT NULL DEFAULT 0 CHECK (total = trunc(total, 8)),
    lines             bigint      NOT NULL DEFAULT 0,
    publicity_ends_on date,
    published_at      timestamptz,
    published_by      bigint      REFERENCES users (id) ON DELETE SET NULL,
    finalized_at      timestamptz,
    finalized_by      bigint      REFERENCES users (id) ON DELETE SET NULL,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (partner_id, period),
    CHECK (status NOT IN ('publicity', 'publicity_ended', 'final') OR publicity_ends_on IS NOT NULL),
    CHECK (status <> 'final' OR finalized_at IS NOT NULL)
);
CREATE INDEX performance_summaries_status_idx ON performance_summaries (status, period);

CREATE TABLE performance_records (
    id                  bigserial   PRIMARY KEY,
    consumption_id      bigint      NOT NULL UNIQUE,
    -- The partner credited: the line's partner, or a reseller's master distributor.
    partner_id          bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    reseller_partner_id bigint      REFERENCES partners (id) ON DELETE SET NULL,
    customer_id         bigint      NOT NULL,
    manager_user_id     bigint,
    mode                text        NOT NULL,
    bill_type           text        NOT NULL,
    order_no            text        NOT NULL DEFAULT '',
    product_type        text        NOT NULL,
    product_name        text        NOT NULL DEFAULT '',
    billing_mode        text        NOT NULL,
    amount              numeric     NOT NULL CHECK (amount = trunc(amount, 8) AND amount <> 0),
    transaction_at      timestamptz NOT NULL,
    formed_at           timestamptz NOT NULL,
    period              date        NOT NULL,
    summary_id          bigint      NOT NULL REFERENCES performance_summaries (id)
);
CREATE INDEX performance_records_partner_idx ON performance_records (partner_id, period, formed_at DESC, id DESC);
CREATE INDEX performance_records_summary_idx ON performance_records (summary_id, id);

-- The formation's low-water mark: every consumption line with a smaller
-- id has been considered.
CREATE TABLE performance_state (
    id          int         PRIMARY KEY CHECK (id = 1),
    low_id      bigint      NOT NULL DEFAULT 0,
    formed_till timestamptz,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO performance_state (id) VALUES (1);

-- +goose Down
DROP TABLE performance_state;
DROP TABLE performance_records;
DROP TABLE performance_summaries;
