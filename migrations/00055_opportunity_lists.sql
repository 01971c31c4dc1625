-- +goose Up
-- The 机会点审核 lists over a million POs (docs/PERFORMANCE.md): a state's
-- page in submit order straight from an index, and the customer or number
-- search through trigrams instead of a scan.
CREATE INDEX opportunities_review_idx ON opportunities (status, submitted_at DESC, id DESC) WHERE status <> 'draft';
CREATE INDEX opportunities_customer_trgm_idx ON opportunities USING gin (customer_name gin_trgm_ops);
CREATE INDEX opportunities_no_trgm_idx ON opportunities USING gin (no gin_trgm_ops);

-- +goose Down
DROP INDEX opportunities_no_trgm_idx;
DROP INDEX opportunities_customer_trgm_idx;
DROP INDEX opportunities_review_idx;
