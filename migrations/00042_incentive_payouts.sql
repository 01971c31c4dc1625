-- +goose Up
-- 激励管理 (seed 003 §12.1.5.5–§12.1.5.45, R32–R41; build-plan WP4; issue
-- 13): the payable incentives of confirmed bills, one per bill and
-- association type, and the payment applications (申付单) that pay them.
ALTER TABLE incentive_details ADD COLUMN mode text NOT NULL DEFAULT '';

CREATE TABLE payment_applications (
    id             bigserial   PRIMARY KEY,
    -- 申付单号 iTh-YYYYMMDDNNNNN (§12.1.5.10), China date.
    no             text        NOT NULL UNIQUE CHECK (no ~ '^iTh-[0-9]{13}$'),
    partner_id     bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    -- bank 银行转账付款, account 返华为云账户, account_owed 返华为云账户-记欠票,
    -- voucher_quota 转代金券额度 (R34, §12.1.5.14).
    method         text        NOT NULL CHECK (method IN ('bank', 'account', 'account_owed', 'voucher_quota')),
    total          numeric     NOT NULL CHECK (total >= 0 AND total = round(total, 2)),
    -- submitted 已提交 → awaiting_invoice 待开票 → invoice_received 已收票 →
    -- completed 已完成 | rejected 已驳回 (the incentives return to 待申请).
    status         text        NOT NULL CHECK (status IN ('submitted', 'awaiting_invoice', 'invoice_received', 'completed', 'rejected')),
    needs_invoice  boolean     NOT NULL,
    request_key    text        NOT NULL,
    submitted_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    submitted_at   timestamptz NOT NULL,
    invoice_nos    text        NOT NULL DEFAULT '' CHECK (length(invoice_nos) <= 500),
    invoice_at     timestamptz,
    payment_ref    text        NOT NULL DEFAULT '' CHECK (length(payment_ref) <= 100),
    completed_at   timestamptz,
    reject_reason  text        NOT NULL DEFAULT '' CHECK (length(reject_reason) <= 500),
    decided_by     bigint      REFERENCES users (id) ON DELETE SET NULL,
    ledger_tx_id   bigint,
    UNIQUE (partner_id, request_key),
    CHECK (status <> 'rejected' OR reject_reason <> '')
);
CREATE INDEX payment_applications_status_idx ON payment_applications (status, submitted_at);
CREATE INDEX payment_applications_partner_idx ON payment_applications (partner_id, submitted_at DESC);

CREATE TABLE incentive_items (
    id             bigserial   PRIMARY KEY,
    bill_id        uuid        NOT NULL REFERENCES incentive_bills (id),
    partner_id     bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    period_code    text        NOT NULL,
    name           text        NOT NULL,
    -- resale 代售, consulting 顾问销售, '' when the bill's lines have none.
    mode           text        NOT NULL DEFAULT '',
    amount         numeric     NOT NULL CHECK (amount = round(amount, 2) AND amount <> 0),
    generated_at   timestamptz NOT NULL,
    -- pending 待申请 → applied 已申请 → paid 已发放 (expiry comes later).
    status         text        NOT NULL CHECK (status IN ('pending', 'applied', 'paid')),
    application_id bigint      REFERENCES payment_applications (id),
    UNIQUE (bill_id, mode),
    CHECK ((status = 'pending') = (application_id IS NULL))
);
CREATE INDEX incentive_items_partner_idx ON incentive_items (partner_id, status, generated_at);

-- +goose Down
DROP TABLE incentive_items;
DROP TABLE payment_applications;
ALTER TABLE incentive_details DROP COLUMN mode;
