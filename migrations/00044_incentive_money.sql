-- +goose Up
-- 激励管理, part 2 (seed 003 §12.1.5.14–§12.1.5.39, R32–R41; build-plan
-- WP4; issue 13): the voucher quota account, the credit with the invoice
-- owed, the partner's invoices to the vendor, expiry and netting, and the
-- bill's 发放成功.

-- 转代金券额度 (§12.1.5.14): a partner's voucher quota is a ledger account
-- (its own pages come with the voucher menu), credited by a
-- voucher_quota transaction.
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check CHECK (kind IN (
    'partner_cash', 'partner_withdrawing', 'customer_funded', 'vendor_bank', 'vendor_revenue',
    'partner_voucher_quota'));
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_check2;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_shape CHECK (CASE kind
    WHEN 'partner_cash'          THEN partner_id IS NOT NULL AND customer_id IS NULL AND recharge_account_no IS NOT NULL
    WHEN 'partner_withdrawing'   THEN partner_id IS NOT NULL AND customer_id IS NULL AND recharge_account_no IS NULL
    WHEN 'partner_voucher_quota' THEN partner_id IS NOT NULL AND customer_id IS NULL AND recharge_account_no IS NULL
    WHEN 'customer_funded'       THEN partner_id IS NOT NULL AND customer_id IS NOT NULL AND recharge_account_no IS NULL
    ELSE partner_id IS NULL AND customer_id IS NULL AND recharge_account_no IS NULL END);
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind_check CHECK (kind IN (
    'recharge', 'transfer', 'recover', 'unbind_recover', 'withdraw', 'withdraw_paid', 'withdraw_rejected',
    'consumption', 'consumption_refund',
    'voucher_quota'));  -- 转代金券额度
-- 返华为云账户-记欠票 (§12.1.5.16): a recharge whose invoice is owed; the
-- invoice page counts it as already invoiced (欠票).
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_source_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_source_check CHECK (source IN (
    'bank_transfer', 'online_banking', 'alipay', 'wechat', 'incentive', 'mode_change', 'incentive_owed'));

-- The partner's invoices for an application (§12.1.5.16, §12.1.5.31–32,
-- R35, R40–R41): several per application, never one for several.
CREATE TABLE incentive_invoices (
    id             bigserial   PRIMARY KEY,
    application_id bigint      NOT NULL REFERENCES payment_applications (id) ON DELETE CASCADE,
    partner_id     bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    invoice_no     text        NOT NULL UNIQUE CHECK (invoice_no ~ '^[0-9A-Za-z]{8,20}$'),
    amount         numeric     NOT NULL CHECK (amount > 0 AND amount = round(amount, 2)),
    -- 6 general taxpayer, 3 small-scale (R32)
    tax_rate       integer     NOT NULL CHECK (tax_rate IN (3, 6)),
    -- special 增值税专用发票, e_special 电子专票 (R35)
    type           text        NOT NULL CHECK (type IN ('special', 'e_special')),
    content        text        NOT NULL CHECK (content IN ('信息技术服务-信息系统服务', '信息技术服务-技术服务费',
                                   '信息技术服务-信息技术服务费', '信息技术服务-信息服务费')),
    entered_by     bigint      REFERENCES users (id) ON DELETE SET NULL,
    entered_at     timestamptz NOT NULL
);
CREATE INDEX incentive_invoices_application_idx ON incentive_invoices (application_id);

-- Expiry and netting (R37–R39, §12.1.5.20, §12.1.5.35): a positive
-- incentive expires a year after the partner's programme identity lapsed;
-- when it does, the pending negatives are offset against it and a new
-- negative carries the rest.
CREATE TABLE incentive_nettings (
    id             bigserial   PRIMARY KEY,
    partner_id     bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    at             timestamptz NOT NULL,
    positive       numeric     NOT NULL CHECK (positive > 0),
    negative       numeric     NOT NULL CHECK (negative <= 0),
    remainder      numeric     NOT NULL CHECK (remainder <= 0)
);
ALTER TABLE incentive_items ALTER COLUMN bill_id DROP NOT NULL;
ALTER TABLE incentive_items ADD COLUMN expires_at timestamptz;
ALTER TABLE incentive_items ADD COLUMN expired_at timestamptz;
-- The netting that expired this item, or (remainder) that created it.
ALTER TABLE incentive_items ADD COLUMN netting_id bigint REFERENCES incentive_nettings (id);
ALTER TABLE incentive_items ADD COLUMN origin text NOT NULL DEFAULT 'bill' CHECK (origin IN ('bill', 'netting'));
ALTER TABLE incentive_items DROP CONSTRAINT incentive_items_status_check;
ALTER TABLE incentive_items ADD CONSTRAINT incentive_items_status_check CHECK (status IN ('pending', 'applied', 'paid', 'expired'));
ALTER TABLE incentive_items DROP CONSTRAINT incentive_items_check;
ALTER TABLE incentive_items ADD CONSTRAINT incentive_items_application CHECK ((status IN ('applied', 'paid')) = (application_id IS NOT NULL));
ALTER TABLE incentive_items ADD CONSTRAINT incentive_items_expired CHECK ((status = 'expired') = (expired_at IS NOT NULL));
ALTER TABLE incentive_items ADD CONSTRAINT incentive_items_origin CHECK ((origin = 'bill') = (bill_id IS NOT NULL));
CREATE INDEX incentive_items_expiry_idx ON incentive_items (expires_at) WHERE status = 'pending' AND expires_at IS NOT NULL;

-- 发放成功: every incentive of the bill paid.
ALTER TABLE incentive_bills DROP CONSTRAINT incentive_bills_status_check;
ALTER TABLE incentive_bills ADD CONSTRAINT incentive_bills_status_check CHECK (status IN ('estimate', 'publicity', 'pending', 'confirmed', 'paid'));

-- +goose Down
ALTER TABLE incentive_bills DROP CONSTRAINT incentive_bills_status_check;
ALTER TABLE incentive_bills ADD CONSTRAINT incentive_bills_status_check CHECK (status IN ('estimate', 'publicity', 'pending', 'confirmed'));
DROP INDEX incentive_items_expiry_idx;
ALTER TABLE incentive_items DROP CONSTRAINT incentive_items_origin;
ALTER TABLE incentive_items DROP CONSTRAINT incentive_items_expired;
ALTER TABLE incentive_items DROP CONSTRAINT incentive_items_application;
ALTER TABLE incentive_items DROP CONSTRAINT incentive_items_status_check;
ALTER TABLE incentive_items ADD CONSTRAINT incentive_items_status_check CHECK (status IN ('pending', 'applied', 'paid'));
ALTER TABLE incentive_items ADD CONSTRAINT incentive_items_check CHECK ((status = 'pending') = (application_id IS NULL));
ALTER TABLE incentive_items DROP COLUMN origin;
ALTER TABLE incentive_items DROP COLUMN netting_id;
ALTER TABLE incentive_items DROP COLUMN expired_at;
ALTER TABLE incentive_items DROP COLUMN expires_at;
ALTER TABLE incentive_items ALTER COLUMN bill_id SET NOT NULL;
DROP TABLE incentive_nettings;
DROP TABLE incentive_invoices;
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_source_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_source_check CHECK (source IN (
    'bank_transfer', 'online_banking', 'alipay', 'wechat', 'incentive', 'mode_change'));
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind_check CHECK (kind IN (
    'recharge', 'transfer', 'recover', 'unbind_recover', 'withdraw', 'withdraw_paid', 'withdraw_rejected',
    'consumption', 'consumption_refund'));
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_shape;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_check2 CHECK (CASE kind
    WHEN 'partner_cash'        THEN partner_id IS NOT NULL AND customer_id IS NULL AND recharge_account_no IS NOT NULL
    WHEN 'partner_withdrawing' THEN partner_id IS NOT NULL AND customer_id IS NULL AND recharge_account_no IS NULL
    WHEN 'customer_funded'     THEN partner_id IS NOT NULL AND customer_id IS NOT NULL AND recharge_account_no IS NULL
    ELSE partner_id IS NULL AND customer_id IS NULL AND recharge_account_no IS NULL END);
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check CHECK (kind IN (
    'partner_cash', 'partner_withdrawing', 'customer_funded', 'vendor_bank', 'vendor_revenue'));
