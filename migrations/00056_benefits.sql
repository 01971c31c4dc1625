-- +goose Up
-- 权益, part 1: the benefit framework and 测试券 (seed 003 §10.1–§10.2;
-- build-plan 6.E–6.F; issue 15).

-- The vendor's yearly cap of a benefit for a partner tier (a path and
-- stage, or a programme), "按各路径每年的政策规定执行" (§10.2.2).
CREATE TABLE benefit_policies (
    id         bigserial   PRIMARY KEY,
    year       int         NOT NULL CHECK (year BETWEEN 2020 AND 2100),
    type       text        NOT NULL CHECK (type IN ('test_voucher')),
    tier       text        NOT NULL,
    cap_amount numeric     NOT NULL CHECK (cap_amount >= 0 AND cap_amount = round(cap_amount, 2)),
    notes      text        NOT NULL DEFAULT '' CHECK (length(notes) <= 200),
    updated_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (year, type, tier)
);
-- N12: a software partner at 角色认证 may apply for test vouchers up to
-- ¥100,000 a year; the other tiers are the vendor's to set.
INSERT INTO benefit_policies (year, type, tier, cap_amount, notes, updated_at)
SELECT y, 'test_voucher', 'software:role_certified', 100000, 'N12', now() FROM generate_series(2024, 2030) y;

CREATE TABLE benefit_applications (
    id             bigserial   PRIMARY KEY,
    partner_id     bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    -- the partner entity (its credit code): caps are the entity's (§4.1.10)
    entity_key     text        NOT NULL,
    year           int         NOT NULL,
    type           text        NOT NULL,
    tier           text        NOT NULL,
    -- submitted 已提交 → approved 审核通过 → issued 权益已发放 | rejected 已驳回 | withdrawn 已撤回
    status         text        NOT NULL CHECK (status IN ('submitted', 'approved', 'issued', 'rejected', 'withdrawn')),
    amount         numeric     NOT NULL CHECK (amount > 0 AND amount = round(amount, 2)),
    form           jsonb       NOT NULL,
    application_id bigint      REFERENCES applications (id),
    decided_at     timestamptz,
    issued_at      timestamptz,
    issued_by      bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_by     bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CHECK ((status = 'issued') = (issued_at IS NOT NULL))
);
CREATE INDEX benefit_applications_entity_idx ON benefit_applications (entity_key, year, type);
CREATE INDEX benefit_applications_partner_idx ON benefit_applications (partner_id, created_at DESC);
CREATE INDEX benefit_applications_status_idx ON benefit_applications (status, updated_at DESC);

-- A test voucher issued to the partner: valid 3 months (§10.2.5, N37).
CREATE TABLE benefit_vouchers (
    id             bigserial   PRIMARY KEY,
    no             text        NOT NULL UNIQUE,
    partner_id     bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    application_id bigint      NOT NULL UNIQUE REFERENCES benefit_applications (id),
    face_value     numeric     NOT NULL CHECK (face_value > 0),
    issued_at      timestamptz NOT NULL,
    valid_until    timestamptz NOT NULL CHECK (valid_until > issued_at)
);
CREATE INDEX benefit_vouchers_partner_idx ON benefit_vouchers (partner_id, issued_at DESC);

-- +goose Down
DROP TABLE benefit_vouchers;
DROP TABLE benefit_applications;
DROP TABLE benefit_policies;
