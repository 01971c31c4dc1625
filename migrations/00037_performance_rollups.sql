-- +goose Up
-- 业绩 by partner, month, customer, product type, second-tier reseller and
-- customer manager (issue 12): kept by the formation in the same statement
-- as the records, so indicators and 业绩看板 read months, not lines.
CREATE TABLE performance_rollups (
    partner_id          bigint  NOT NULL,
    period              date    NOT NULL,
    customer_id         bigint  NOT NULL,
    product_type        text    NOT NULL,
    reseller_partner_id bigint  NOT NULL DEFAULT 0,
    manager_user_id     bigint  NOT NULL DEFAULT 0,
    positive            numeric NOT NULL DEFAULT 0 CHECK (positive >= 0),
    negative            numeric NOT NULL DEFAULT 0 CHECK (negative <= 0),
    lines               bigint  NOT NULL DEFAULT 0,
    PRIMARY KEY (partner_id, period, customer_id, product_type, reseller_partner_id, manager_user_id)
);

INSERT INTO performance_rollups (partner_id, period, customer_id, product_type, reseller_partner_id, manager_user_id,
    positive, negative, lines)
SELECT partner_id, period, customer_id, product_type, coalesce(reseller_partner_id, 0), coalesce(manager_user_id, 0),
       coalesce(sum(amount) FILTER (WHERE amount > 0), 0), coalesce(sum(amount) FILTER (WHERE amount < 0), 0), count(*)
FROM performance_records
GROUP BY 1, 2, 3, 4, 5, 6;

-- +goose Down
DROP TABLE performance_rollups;
