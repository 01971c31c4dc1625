-- +goose Up
-- The two exclusions of the formation rule the import could not carry
-- (seed 003 §12.1.5.1–2, §12.1.5.37; build-plan 3.A; issue 12): the part
-- of a charge paid by a cash coupon that forms no performance (不计业绩的现
-- 金券), and curated-mall (严选商城) items.
ALTER TABLE consumption_records
    ADD COLUMN coupon_paid  numeric NOT NULL DEFAULT 0 CHECK (coupon_paid = trunc(coupon_paid, 2)),
    ADD COLUMN curated_mall boolean NOT NULL DEFAULT false;
ALTER TABLE consumption_records DROP CONSTRAINT consumption_records_check3;
ALTER TABLE consumption_records ADD CONSTRAINT consumption_records_paid_check
    CHECK (cash_paid + voucher_paid + card_paid + coupon_paid + arrears = charged_amount);
ALTER TABLE consumption_records ADD CONSTRAINT consumption_records_coupon_sign_check
    CHECK (CASE bill_type WHEN 'consumption' THEN coupon_paid >= 0 WHEN 'refund' THEN coupon_paid <= 0 ELSE true END);

TRUNCATE consumption_import_stage;
ALTER TABLE consumption_import_stage
    ADD COLUMN coupon_paid  numeric NOT NULL DEFAULT 0,
    ADD COLUMN curated_mall boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE consumption_import_stage DROP COLUMN coupon_paid, DROP COLUMN curated_mall;
ALTER TABLE consumption_records DROP CONSTRAINT consumption_records_coupon_sign_check;
ALTER TABLE consumption_records DROP CONSTRAINT consumption_records_paid_check;
ALTER TABLE consumption_records ADD CONSTRAINT consumption_records_check3
    CHECK (cash_paid + voucher_paid + card_paid + arrears = charged_amount);
ALTER TABLE consumption_records DROP COLUMN coupon_paid, DROP COLUMN curated_mall;
