-- +goose Up
-- Vendor finance's 付款完成 and 驳回 carry the form's idempotency key
-- (issue 13): a repeated submission of the same decision finds it done.
ALTER TABLE payment_applications ADD COLUMN decision_key text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE payment_applications DROP COLUMN decision_key;
