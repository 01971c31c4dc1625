-- +goose Up
-- Customer list at scale (200,000 customers for one partner): search by
-- a part of the mobile number (客户管理 search covers name, account name
-- and mobile) uses a trigram index like name and account name do, and the
-- 已解除 (ended) filter walks its own partial index instead of the table.
CREATE INDEX customers_mobile_trgm ON customers USING gin (mobile gin_trgm_ops);
CREATE INDEX associations_partner_ended_idx ON associations (partner_id, associated_at DESC, id DESC) WHERE status = 'ended';

-- +goose Down
DROP INDEX associations_partner_ended_idx;
DROP INDEX customers_mobile_trgm;
