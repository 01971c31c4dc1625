-- +goose Up
-- 激励对账 (seed 003 §12.1.5.4, §12.1.5.33, §12.1.5.45; build-plan 3.C;
-- issue 12): incentive policies the vendor keeps per year, the bills they
-- give each partner and period, and the bills' lines.
CREATE TABLE incentive_policies (
    id                      bigserial   PRIMARY KEY,
    year                    int         NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    name                    text        NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    -- growth: the ratio follows the threshold's year-on-year increment and
    -- pays on the base's increment (§12.1.5.4); threshold: the ratio follows
    -- the threshold's value and pays on the base's value (§12.1.5.45).
    kind                    text        NOT NULL CHECK (kind IN ('growth', 'threshold')),
    threshold_definition_id bigint      NOT NULL REFERENCES indicator_definitions (id),
    base_definition_id      bigint      NOT NULL REFERENCES indicator_definitions (id),
    -- growth only: the growth rate (percent) the threshold must exceed.
    min_growth              numeric     CHECK (min_growth IS NULL OR min_growth >= 0),
    -- [{"from": "1000000", "ratio": "4"}, ...]: ratio in percent from each
    -- lower bound (inclusive) to the next.
    tiers                   jsonb       NOT NULL,
    -- leveled_sp_or_md: core or leading solution providers and master
    -- distributors (§12.1.5.4); sp_or_md: any of them.
    eligibility             text        NOT NULL CHECK (eligibility IN ('leveled_sp_or_md', 'sp_or_md')),
    active                  boolean     NOT NULL DEFAULT true,
    created_by              bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'growth') = (min_growth IS NOT NULL))
);

CREATE TABLE incentive_bills (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    partner_id        bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    policy_id         bigint      NOT NULL REFERENCES incentive_policies (id),
    period_code       text        NOT NULL CHECK (period_code ~ '^[0-9]{4}(Y|Q[1-4]|M([1-9]|1[0-2]))$'),
    period_start      date        NOT NULL,
    -- normal 正常; reverse_negative 逆向负向调整; reverse_positive 逆向正向调整.
    adjustment        text        NOT NULL CHECK (adjustment IN ('normal', 'reverse_negative', 'reverse_positive')),
    -- the association type when every line has one (resale 代售, advisory
    -- 顾问销售), else '' (shown --).
    association       text        NOT NULL DEFAULT '',
    amount            numeric     NOT NULL CHECK (amount = round(amount, 2)),
    -- estimate 预估 → publicity 公示中 → pending 待确认 → confirmed 已确认.
    status            text        NOT NULL CHECK (status IN ('estimate', 'publicity', 'pending', 'confirmed')),
    calc              jsonb       NOT NULL,
    -- the lines written at publication, and what they add up to (the
    -- allocation residue shows against amount).
    lines             bigint      NOT NULL DEFAULT 0,
    lines_total       numeric     NOT NULL DEFAULT 0,
    publicity_ends_on date,
    published_at      timestamptz,
    published_by      bigint      REFERENCES users (id) ON DELETE SET NULL,
    finalized_at      timestamptz,
    finalized_by      bigint      REFERENCES users (id) ON DELETE SET NULL,
    confirmed_at      timestamptz,
    confirmed_by      bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (status = 'estimate' OR publicity_ends_on IS NOT NULL),
    CHECK (adjustment = 'normal' OR amount <> 0 OR status = 'estimate')
);
CREATE UNIQUE INDEX incentive_bills_normal_key ON incentive_bills (partner_id, policy_id, period_code) WHERE adjustment = 'normal';
-- At most one open (预估) reverse adjustment per partner, policy and period.
CREATE UNIQUE INDEX incentive_bills_open_adjustment_key ON incentive_bills (partner_id, policy_id, period_code)
    WHERE adjustment <> 'normal' AND status = 'estimate';
CREATE INDEX incentive_bills_partner_idx ON incentive_bills (partner_id, period_start DESC, created_at DESC);
CREATE INDEX incentive_bills_status_idx ON incentive_bills (status, period_start);

-- A published bill's lines: its amount allocated over the base's
-- performance lines (§12.1.5.4: line × total ÷ Σ lines, half-up to 8
-- places). A 预估 bill has none: the page shows one aggregate row.
CREATE TABLE incentive_details (
    id                  bigserial PRIMARY KEY,
    bill_id             uuid      NOT NULL REFERENCES incentive_bills (id) ON DELETE CASCADE,
    partner_id          bigint    NOT NULL,
    record_id           bigint    NOT NULL,
    reseller_partner_id bigint,
    customer_id         bigint    NOT NULL,
    product_type        text      NOT NULL,
    product_name        text      NOT NULL DEFAULT '',
    formed_at           timestamptz NOT NULL,
    performance         numeric   NOT NULL CHECK (performance = trunc(performance, 8)),
    amount              numeric   NOT NULL CHECK (amount = round(amount, 8)),
    UNIQUE (bill_id, record_id)
);
CREATE INDEX incentive_details_partner_idx ON incentive_details (partner_id, bill_id, id);

-- The 2024 growth incentive of §12.1.5.4 over the annual performance
-- (the seed's SMB and product-class filters are not in the import: the
-- vendor narrows the indicators by product type where it wants).
INSERT INTO incentive_policies (year, name, kind, threshold_definition_id, base_definition_id, min_growth, tiers, eligibility)
SELECT y, y || '年度增长激励', 'growth', d.id, d.id, 30,
       '[{"from": "1000000", "ratio": "4"}, {"from": "3000000", "ratio": "6"}, {"from": "5000000", "ratio": "8"}]', 'leveled_sp_or_md'
FROM indicator_definitions d, generate_series(2024, 2026) y WHERE d.name = '汇总-年度业绩';
INSERT INTO incentive_policies (year, name, kind, threshold_definition_id, base_definition_id, tiers, eligibility)
SELECT 2026, '2026季度门槛激励', 'threshold', d.id, d.id,
       '[{"from": "100000", "ratio": "1"}, {"from": "500000", "ratio": "2"}, {"from": "1000000", "ratio": "3"}]', 'sp_or_md'
FROM indicator_definitions d WHERE d.name = '汇总-季度业绩';

-- +goose Down
DROP TABLE incentive_details;
DROP TABLE incentive_bills;
DROP TABLE incentive_policies;
