-- +goose Up
-- 业绩明细's 查看激励 (§12.2.1): the incentive lines of one performance
-- record, across the bills that paid it.
CREATE INDEX incentive_details_record_idx ON incentive_details (record_id);

-- +goose Down
DROP INDEX incentive_details_record_idx;
