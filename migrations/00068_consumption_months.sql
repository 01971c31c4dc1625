-- +goose Up
-- Consumption by partner and month at two coarser keys than the rollups'
-- (one row per customer, product, resource, mode and billing mode: 48,000
-- rows over a year of the large benchmark partner), so that 消费看板
-- reads a few rows a month (docs/PERFORMANCE.md, 消费看板):
--   - consumption_months, by bill type and product type: the trend of
--     twelve months and the latest month by product of a tenant's whole
--     consumption;
--   - consumption_customer_months, by bill type and customer: the
--     latest month's largest customers, and the trend in a customer
--     manager's scope.
--
-- Kept by the rollup trigger: it groups each statement's new lines once
-- at the rollups' key and adds those groups to consumption_rollups and
-- their sums to these two tables, in one statement. `partnercenter check
-- ledger` compares both with the rollups.
CREATE TABLE consumption_months (
    partner_id     bigint  NOT NULL,
    billing_period date    NOT NULL,
    bill_type      text    NOT NULL,
    product_type   text    NOT NULL,
    lines          bigint  NOT NULL,
    charged_amount numeric NOT NULL,
    cash_paid      numeric NOT NULL,
    voucher_paid   numeric NOT NULL,
    card_paid      numeric NOT NULL,
    arrears        numeric NOT NULL,
    PRIMARY KEY (partner_id, billing_period, bill_type, product_type)
);
CREATE TABLE consumption_customer_months (
    partner_id     bigint  NOT NULL,
    billing_period date    NOT NULL,
    bill_type      text    NOT NULL,
    customer_id    bigint  NOT NULL,
    lines          bigint  NOT NULL,
    charged_amount numeric NOT NULL,
    cash_paid      numeric NOT NULL,
    voucher_paid   numeric NOT NULL,
    card_paid      numeric NOT NULL,
    arrears        numeric NOT NULL,
    PRIMARY KEY (partner_id, billing_period, bill_type, customer_id)
);
-- A month's largest customers are the first entries here, not a sort of
-- every customer of the month.
CREATE INDEX consumption_customer_months_top_idx
    ON consumption_customer_months (partner_id, billing_period, bill_type, charged_amount DESC, customer_id);

-- No line is written between the backfill below and the new trigger
-- function taking over (an import waits for this migration to commit).
LOCK TABLE consumption_records IN SHARE MODE;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION consumption_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH g AS (
        SELECT partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode,
               count(*) AS lines, sum(list_price) AS list_price, sum(discount_amount) AS discount_amount,
               sum(amount_payable) AS amount_payable, sum(charged_amount) AS charged_amount, sum(rounding_off) AS rounding_off,
               sum(cash_paid) AS cash_paid, sum(voucher_paid) AS voucher_paid, sum(card_paid) AS card_paid, sum(arrears) AS arrears
        FROM new_lines
        GROUP BY partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode
    ), rollups AS (
        -- Each table's rows are written in the order of its key, so two
        -- writers never lock one table's rows in opposite orders (imports
        -- also run one at a time, under the import lock).
        INSERT INTO consumption_rollups AS r (partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode,
            lines, list_price, discount_amount, amount_payable, charged_amount, rounding_off, cash_paid, voucher_paid, card_paid, arrears)
        SELECT partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode,
               lines, list_price, discount_amount, amount_payable, charged_amount, rounding_off, cash_paid, voucher_paid, card_paid, arrears
        FROM g
        ORDER BY partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode
        ON CONFLICT (partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode)
        DO UPDATE SET lines = r.lines + excluded.lines,
            list_price = r.list_price + excluded.list_price, discount_amount = r.discount_amount + excluded.discount_amount,
            amount_payable = r.amount_payable + excluded.amount_payable, charged_amount = r.charged_amount + excluded.charged_amount,
            rounding_off = r.rounding_off + excluded.rounding_off, cash_paid = r.cash_paid + excluded.cash_paid,
            voucher_paid = r.voucher_paid + excluded.voucher_paid, card_paid = r.card_paid + excluded.card_paid,
            arrears = r.arrears + excluded.arrears
    ), customers AS (
        INSERT INTO consumption_customer_months AS c (partner_id, billing_period, bill_type, customer_id, lines, charged_amount, cash_paid, voucher_paid, card_paid, arrears)
        SELECT partner_id, billing_period, bill_type, customer_id,
               sum(lines), sum(charged_amount), sum(cash_paid), sum(voucher_paid), sum(card_paid), sum(arrears)
        FROM g
        GROUP BY partner_id, billing_period, bill_type, customer_id
        ORDER BY partner_id, billing_period, bill_type, customer_id
        ON CONFLICT (partner_id, billing_period, bill_type, customer_id)
        DO UPDATE SET lines = c.lines + excluded.lines, charged_amount = c.charged_amount + excluded.charged_amount,
            cash_paid = c.cash_paid + excluded.cash_paid, voucher_paid = c.voucher_paid + excluded.voucher_paid,
            card_paid = c.card_paid + excluded.card_paid, arrears = c.arrears + excluded.arrears
    )
    INSERT INTO consumption_months AS m (partner_id, billing_period, bill_type, product_type, lines, charged_amount, cash_paid, voucher_paid, card_paid, arrears)
    SELECT partner_id, billing_period, bill_type, product_type,
           sum(lines), sum(charged_amount), sum(cash_paid), sum(voucher_paid), sum(card_paid), sum(arrears)
    FROM g
    GROUP BY partner_id, billing_period, bill_type, product_type
    ORDER BY partner_id, billing_period, bill_type, product_type
    ON CONFLICT (partner_id, billing_period, bill_type, product_type)
    DO UPDATE SET lines = m.lines + excluded.lines, charged_amount = m.charged_amount + excluded.charged_amount,
        cash_paid = m.cash_paid + excluded.cash_paid, voucher_paid = m.voucher_paid + excluded.voucher_paid,
        card_paid = m.card_paid + excluded.card_paid, arrears = m.arrears + excluded.arrears;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

INSERT INTO consumption_months (partner_id, billing_period, bill_type, product_type, lines, charged_amount, cash_paid, voucher_paid, card_paid, arrears)
SELECT partner_id, billing_period, bill_type, product_type,
       sum(lines), sum(charged_amount), sum(cash_paid), sum(voucher_paid), sum(card_paid), sum(arrears)
FROM consumption_rollups
GROUP BY partner_id, billing_period, bill_type, product_type;
INSERT INTO consumption_customer_months (partner_id, billing_period, bill_type, customer_id, lines, charged_amount, cash_paid, voucher_paid, card_paid, arrears)
SELECT partner_id, billing_period, bill_type, customer_id,
       sum(lines), sum(charged_amount), sum(cash_paid), sum(voucher_paid), sum(card_paid), sum(arrears)
FROM consumption_rollups
GROUP BY partner_id, billing_period, bill_type, customer_id;

-- +goose Down
-- The trigger function of migrations/00010 again.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION consumption_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO consumption_rollups AS r
    SELECT partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode,
           count(*), sum(list_price), sum(discount_amount), sum(amount_payable), sum(charged_amount), sum(rounding_off),
           sum(cash_paid), sum(voucher_paid), sum(card_paid), sum(arrears)
    FROM new_lines
    GROUP BY partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode
    -- One lock order for concurrent writers.
    ORDER BY partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode
    ON CONFLICT (partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode)
    DO UPDATE SET lines = r.lines + excluded.lines,
        list_price = r.list_price + excluded.list_price, discount_amount = r.discount_amount + excluded.discount_amount,
        amount_payable = r.amount_payable + excluded.amount_payable, charged_amount = r.charged_amount + excluded.charged_amount,
        rounding_off = r.rounding_off + excluded.rounding_off, cash_paid = r.cash_paid + excluded.cash_paid,
        voucher_paid = r.voucher_paid + excluded.voucher_paid, card_paid = r.card_paid + excluded.card_paid,
        arrears = r.arrears + excluded.arrears;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
DROP TABLE consumption_customer_months;
DROP TABLE consumption_months;
