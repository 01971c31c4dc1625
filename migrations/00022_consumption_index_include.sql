-- +goose Up
-- 消费明细 counts and pages a period's lines newest first, filtered by bill
-- type, association type or the customer manager's customers: the period
-- index carries those columns, so the filters are read from the index
-- alone (an index-only scan) instead of a heap visit per line.
CREATE INDEX consumption_records_partner_period_cover_idx ON consumption_records
    (partner_id, billing_period, transaction_at DESC, id DESC) INCLUDE (bill_type, mode, customer_id);
DROP INDEX consumption_records_partner_period_idx;

-- +goose Down
CREATE INDEX consumption_records_partner_period_idx ON consumption_records (partner_id, billing_period, transaction_at DESC, id DESC);
DROP INDEX consumption_records_partner_period_cover_idx;
