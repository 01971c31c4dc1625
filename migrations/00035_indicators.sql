-- +goose Up
-- 指标信息 (seed 003 §12.1.8; build-plan 3.B; issue 12): indicators computed
-- from performance by definitions the vendor keeps (inferred: the seeds
-- name indicators like "汇总-2024年度增长激励-SMB客户非成品产品门槛" but not
-- their formulas).
CREATE TABLE indicator_definitions (
    id           bigserial   PRIMARY KEY,
    name         text        NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    scope        text        NOT NULL CHECK (length(scope) BETWEEN 1 AND 100),
    cycle        text        NOT NULL CHECK (cycle IN ('year', 'quarter', 'month')),
    dimension    text        NOT NULL CHECK (dimension IN ('partner', 'customer')),
    kind         text        NOT NULL CHECK (kind IN ('threshold', 'base', 'derived')),
    -- '' counts every product; else only lines of this product type.
    product_type text        NOT NULL DEFAULT '' CHECK (length(product_type) <= 100),
    -- A derived indicator is the growth rate (%) of another, year on year.
    derived_from bigint      REFERENCES indicator_definitions (id),
    active       boolean     NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'derived') = (derived_from IS NOT NULL))
);

CREATE TABLE indicators (
    id            bigserial   PRIMARY KEY,
    definition_id bigint      NOT NULL REFERENCES indicator_definitions (id) ON DELETE CASCADE,
    partner_id    bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    customer_id   bigint      NOT NULL DEFAULT 0,
    period_code   text        NOT NULL CHECK (period_code ~ '^[0-9]{4}(Y|Q[1-4]|M([1-9]|1[0-2]))$'),
    period_start  date        NOT NULL,
    value         numeric     NOT NULL CHECK (value = round(value, 2)),
    updated_at    timestamptz NOT NULL,
    UNIQUE (definition_id, partner_id, customer_id, period_code)
);
CREATE INDEX indicators_partner_idx ON indicators (partner_id, period_start DESC, definition_id);

INSERT INTO indicator_definitions (name, scope, cycle, dimension, kind) VALUES
    ('汇总-年度业绩', '年度增长激励-门槛&增长率-数据计算', 'year', 'partner', 'threshold'),
    ('汇总-季度业绩', '季度门槛激励-门槛-数据计算', 'quarter', 'partner', 'threshold'),
    ('汇总-月度业绩', '月度激励-基数-数据计算', 'month', 'partner', 'base'),
    ('价值新客-客户月度业绩', '价值新客激励-门槛&基数-数据计算', 'month', 'customer', 'threshold');
INSERT INTO indicator_definitions (name, scope, cycle, dimension, kind, derived_from)
SELECT '汇总-年度业绩增长率', '年度增长激励-门槛&增长率-数据计算', 'year', 'partner', 'derived', id
FROM indicator_definitions WHERE name = '汇总-年度业绩';

-- +goose Down
DROP TABLE indicators;
DROP TABLE indicator_definitions;
