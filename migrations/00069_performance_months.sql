-- +goose Up
-- 业绩 by partner and month only (with the second-tier reseller and the
-- customer manager, the two filters 业绩看板's trend takes): the trend of a
-- large partner reads a dozen rows a month instead of one per customer
-- and product type of performance_rollups (docs/PERFORMANCE.md, 业绩看板).
-- Kept by the formation in the same statement as the records and the
-- rollups; `partnercenter check ledger` compares it with the rollups.
CREATE TABLE performance_months (
    partner_id          bigint  NOT NULL,
    period              date    NOT NULL,
    reseller_partner_id bigint  NOT NULL DEFAULT 0,
    manager_user_id     bigint  NOT NULL DEFAULT 0,
    positive            numeric NOT NULL DEFAULT 0 CHECK (positive >= 0),
    negative            numeric NOT NULL DEFAULT 0 CHECK (negative <= 0),
    lines               bigint  NOT NULL DEFAULT 0,
    PRIMARY KEY (partner_id, period, reseller_partner_id, manager_user_id)
);

INSERT INTO performance_months (partner_id, period, reseller_partner_id, manager_user_id, positive, negative, lines)
SELECT partner_id, period, reseller_partner_id, manager_user_id, sum(positive), sum(negative), sum(lines)
FROM performance_rollups
GROUP BY 1, 2, 3, 4;

-- 业绩明细 of one customer (客户名称, 指标明细 of a per-customer indicator)
-- and a customer manager's rows (its scope, 客户经理姓名), newest first,
-- without walking every record of a large partner.
CREATE INDEX performance_records_customer_idx ON performance_records (partner_id, customer_id, formed_at DESC, id DESC);
CREATE INDEX performance_records_manager_idx ON performance_records (partner_id, manager_user_id, formed_at DESC, id DESC);

-- +goose Down
DROP INDEX performance_records_manager_idx;
DROP INDEX performance_records_customer_idx;
DROP TABLE performance_months;
