-- +goose Up
-- 市场发展基金 MDF (seed 003 §10.5; build-plan 7.A; issue 16): the
-- vendor's yearly caps by tier, each partner entity's quota of the year,
-- the usage applications (使用申请) that occupy it, and the claims
-- (兑现申报) that use it and are paid by vendor finance.

-- The cap of a tier for a year (§10.5.3, N42–N46; "具体以华为云官网发布的
-- 伙伴权益为准": the vendor's to change).
CREATE TABLE mdf_caps (
    year       int         NOT NULL CHECK (year BETWEEN 2020 AND 2100),
    tier       text        NOT NULL,
    cap_amount numeric     NOT NULL CHECK (cap_amount >= 0 AND cap_amount = round(cap_amount, 2)),
    updated_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (year, tier)
);
INSERT INTO mdf_caps (year, tier, cap_amount, updated_at)
SELECT y, t.tier, t.cap, now()
FROM generate_series(2024, 2030) y,
     (VALUES ('master_distributor:1', 300000), ('master_distributor:2', 300000), ('master_distributor:3', 200000),
             ('solution_provider:leading', 100000), ('solution_provider:core', 500000),
             ('software:role_certified', 50000), ('software:differentiated', 80000),
             ('service:role_certified', 50000), ('service:differentiated', 80000),
             ('si:role_certified', 300000), ('si:differentiated', 500000),
             ('learning:differentiated', 80000)) AS t (tier, cap);

-- A partner entity's quota of a year: what its usage applications occupy
-- and its claims used; the cap is the tier's, read when it is checked.
CREATE TABLE mdf_quotas (
    id         bigserial   PRIMARY KEY,
    entity_key text        NOT NULL,
    year       int         NOT NULL,
    occupied   numeric     NOT NULL DEFAULT 0 CHECK (occupied >= 0),
    used       numeric     NOT NULL DEFAULT 0 CHECK (used >= 0),
    updated_at timestamptz NOT NULL,
    UNIQUE (entity_key, year)
);

-- A violation takes away the entity's MDF for the year (§10.5.13, §10.5.19, N55).
CREATE TABLE mdf_violations (
    entity_key text        NOT NULL,
    year       int         NOT NULL,
    reason     text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    flagged_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    flagged_at timestamptz NOT NULL,
    PRIMARY KEY (entity_key, year)
);

-- 使用申请: submitted (budget occupied) → approved | rejected | withdrawn
-- (budget released) ; approved → claimed (a claim approved: its amount
-- used, the rest released) | closed (the claim rejected: all released).
CREATE TABLE mdf_usages (
    id             bigserial   PRIMARY KEY,
    no             text        NOT NULL UNIQUE,
    partner_id     bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    quota_id       bigint      NOT NULL REFERENCES mdf_quotas (id),
    status         text        NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected', 'withdrawn', 'claimed', 'closed')),
    activity_type  text        NOT NULL,
    name           text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    audience       text        NOT NULL CHECK (length(audience) BETWEEN 1 AND 200),
    department     text        NOT NULL CHECK (length(department) BETWEEN 1 AND 100),
    location       text        NOT NULL CHECK (length(location) BETWEEN 1 AND 200),
    format         text        NOT NULL CHECK (length(format) BETWEEN 1 AND 200),
    solutions      text        NOT NULL CHECK (length(solutions) BETWEEN 1 AND 500),
    budget         numeric     NOT NULL CHECK (budget > 0 AND budget = round(budget, 2)),
    -- the events of a series (§10.5.5): [{"start":"YYYY-MM-DD","end":"YYYY-MM-DD"}]
    events         jsonb       NOT NULL,
    first_day      date        NOT NULL,
    last_day       date        NOT NULL CHECK (last_day >= first_day),
    late_reason    text        NOT NULL DEFAULT '' CHECK (length(late_reason) <= 500),
    over_reason    text        NOT NULL DEFAULT '' CHECK (length(over_reason) <= 500),
    application_id bigint      REFERENCES applications (id),
    created_by     bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL,
    decided_at     timestamptz,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX mdf_usages_partner_idx ON mdf_usages (partner_id, created_at DESC);
CREATE INDEX mdf_usages_quota_idx ON mdf_usages (quota_id, status);
CREATE INDEX mdf_usages_open_idx ON mdf_usages (created_at) WHERE status = 'submitted';

-- 兑现申报: one per usage (§10.5.13, anti-splitting): draft (kept 45
-- days) → submitted → approved | rejected; approved → invoiced (the
-- partner's invoice equals the 开票清单) → paid by vendor finance; finance
-- may send an invoice back (approved again).
CREATE TABLE mdf_claims (
    id                bigserial   PRIMARY KEY,
    usage_id          bigint      NOT NULL UNIQUE REFERENCES mdf_usages (id),
    partner_id        bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    status            text        NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'invoiced', 'paid')),
    amount            numeric     NOT NULL CHECK (amount > 0 AND amount = round(amount, 2)),
    summary           text        NOT NULL DEFAULT '' CHECK (length(summary) <= 2000),
    -- the materials by category (§10.5.12): {"proof":[file ids], ...}
    materials         jsonb       NOT NULL DEFAULT '{}',
    extension_file_id bigint      REFERENCES files (id) ON DELETE SET NULL,
    application_id    bigint      REFERENCES applications (id),
    invoice_no        text        NOT NULL DEFAULT '' CHECK (length(invoice_no) <= 40),
    invoice_amount    numeric     CHECK (invoice_amount IS NULL OR invoice_amount > 0),
    invoice_file_id   bigint      REFERENCES files (id) ON DELETE SET NULL,
    payment_ref       text        NOT NULL DEFAULT '' CHECK (length(payment_ref) <= 100),
    decision_key      text        NOT NULL DEFAULT '',
    finance_note      text        NOT NULL DEFAULT '' CHECK (length(finance_note) <= 500),
    paid_by           bigint      REFERENCES users (id) ON DELETE SET NULL,
    paid_at           timestamptz,
    created_by        bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL,
    submitted_at      timestamptz,
    decided_at        timestamptz,
    updated_at        timestamptz NOT NULL,
    CHECK ((status = 'paid') = (paid_at IS NOT NULL)),
    CHECK (status NOT IN ('invoiced', 'paid') OR (invoice_amount = amount AND invoice_no <> ''))
);
CREATE INDEX mdf_claims_partner_idx ON mdf_claims (partner_id, created_at DESC);
CREATE INDEX mdf_claims_status_idx ON mdf_claims (status, updated_at);

-- +goose Down
DROP TABLE mdf_claims;
DROP TABLE mdf_usages;
DROP TABLE mdf_violations;
DROP TABLE mdf_quotas;
DROP TABLE mdf_caps;
