-- +goose Up
-- Per-period rollups of consumption_records, so that the partner bill
-- (伙伴账单), 客户消费 > 消费汇总 and the invoiceable bills read a few
-- hundred rows per partner and period instead of scanning every line
-- (docs/PERFORMANCE.md: 3.1 s for a period of 1,000,000 lines before).
--
-- One row per partner, period, signing entity, bill type, association
-- type, customer, product type, resource type and billing mode, with the
-- line count and the sums of every money column. consumption_records is
-- append-only (forbid_change), so a statement-level AFTER INSERT trigger
-- that adds each statement's new rows (COPY and INSERT ... SELECT alike)
-- keeps the rollups exact; `partnercenter check ledger` compares them
-- with the lines.
CREATE TABLE consumption_rollups (
    partner_id      bigint  NOT NULL,
    billing_period  date    NOT NULL,
    signing_entity  text    NOT NULL,
    bill_type       text    NOT NULL,
    mode            text    NOT NULL,
    customer_id     bigint  NOT NULL,
    product_type    text    NOT NULL,
    resource_type   text    NOT NULL,
    billing_mode    text    NOT NULL,
    lines           bigint  NOT NULL,
    list_price      numeric NOT NULL,
    discount_amount numeric NOT NULL,
    amount_payable  numeric NOT NULL,
    charged_amount  numeric NOT NULL,
    rounding_off    numeric NOT NULL,
    cash_paid       numeric NOT NULL,
    voucher_paid    numeric NOT NULL,
    card_paid       numeric NOT NULL,
    arrears         numeric NOT NULL,
    PRIMARY KEY (partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode)
);
CREATE INDEX consumption_rollups_customer_idx ON consumption_rollups (partner_id, billing_period, customer_id);

-- +goose StatementBegin
CREATE FUNCTION consumption_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER consumption_records_rollup AFTER INSERT ON consumption_records
    REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION consumption_rollup_add();

INSERT INTO consumption_rollups
SELECT partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode,
       count(*), sum(list_price), sum(discount_amount), sum(amount_payable), sum(charged_amount), sum(rounding_off),
       sum(cash_paid), sum(voucher_paid), sum(card_paid), sum(arrears)
FROM consumption_records
GROUP BY partner_id, billing_period, signing_entity, bill_type, mode, customer_id, product_type, resource_type, billing_mode;

-- +goose Down
DROP TRIGGER consumption_records_rollup ON consumption_records;
DROP FUNCTION consumption_rollup_add();
DROP TABLE consumption_rollups;
