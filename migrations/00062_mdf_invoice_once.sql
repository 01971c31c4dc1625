-- +goose Up
-- One invoice backs one MDF claim (§10.5.13: the same spend is not
-- reimbursed twice).
CREATE UNIQUE INDEX mdf_claims_invoice_key ON mdf_claims (upper(invoice_no)) WHERE status IN ('invoiced', 'paid');

-- +goose Down
DROP INDEX mdf_claims_invoice_key;
