-- +goose Up
-- 消费明细 by bill type (退款, 调账): a refund is one line in twenty, so
-- counting and paging them on the period index walks twenty lines per
-- refund; this index walks the refunds alone. (The import's floor, a raw
-- COPY into the table with its indexes, grows with it as much as the
-- import does: docs/PERFORMANCE.md.)
CREATE INDEX consumption_records_partner_period_type_idx ON consumption_records
    (partner_id, billing_period, bill_type, transaction_at DESC, id DESC);

-- +goose Down
DROP INDEX consumption_records_partner_period_type_idx;
