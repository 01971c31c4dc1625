-- +goose Up
-- 商业信息认证 (seed 003 §6.2; build-plan 1.B; issue 11). A partner's
-- bank, tax and finance-contact details for payments from the vendor.
-- Every (re)certification is a row of its own: the partner's certified
-- details are its latest certified row, which stays the payout target
-- while a newer row is verified (superseded only once that one is
-- certified).
CREATE TABLE business_infos (
    id             bigserial   PRIMARY KEY,
    partner_id     bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    status         text        NOT NULL CHECK (status IN ('auto_verifying', 'pending_manual', 'failed', 'letter_needed',
                                   'letter_pending', 'letter_review', 'certified', 'superseded')),
    supplier_name  text        NOT NULL CHECK (length(supplier_name) BETWEEN 1 AND 100),
    bank_name      text        NOT NULL CHECK (length(bank_name) BETWEEN 1 AND 100),
    account_no     text        NOT NULL CHECK (account_no ~ '^[0-9]{8,30}$'),
    branch_name    text        NOT NULL CHECK (length(branch_name) BETWEEN 1 AND 100),
    branch_no      text        NOT NULL CHECK (branch_no ~ '^[0-9]{12}$'),
    account_name   text        NOT NULL CHECK (length(account_name) BETWEEN 1 AND 100),
    currency       text        NOT NULL DEFAULT 'CNY',
    taxpayer_type  text        NOT NULL CHECK (taxpayer_type IN ('general', 'small_scale')),
    invoice_title  text        NOT NULL,
    tax_id         text        NOT NULL,
    invoice_address text       NOT NULL CHECK (length(invoice_address) BETWEEN 1 AND 200),
    invoice_phone  text        NOT NULL CHECK (length(invoice_phone) BETWEEN 5 AND 30),
    finance_name   text        NOT NULL CHECK (length(finance_name) BETWEEN 1 AND 50),
    finance_mobile text        NOT NULL CHECK (finance_mobile ~ '^1[3-9][0-9]{9}$'),
    finance_email  text        NOT NULL CHECK (length(finance_email) BETWEEN 3 AND 100),
    -- §6.2.6: the random amount sent to the account (a simulation: shown
    -- on the vendor's desk).
    random_amount  numeric     NOT NULL CHECK (random_amount BETWEEN 0.01 AND 0.99 AND random_amount = trunc(random_amount, 2)),
    failure_key    text        NOT NULL DEFAULT '',
    failure_reason text        NOT NULL DEFAULT '' CHECK (length(failure_reason) <= 500),
    letter_draft_file_id bigint REFERENCES files (id),
    letter_file_id bigint      REFERENCES files (id),
    letter_due_at  timestamptz,
    submitted_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    submitted_at   timestamptz NOT NULL,
    decided_by     bigint      REFERENCES users (id) ON DELETE SET NULL,
    certified_at   timestamptz,
    updated_at     timestamptz NOT NULL,
    CHECK (status <> 'certified' OR certified_at IS NOT NULL),
    CHECK (status NOT IN ('failed') OR failure_reason <> '' OR failure_key <> '')
);
-- At most one submission in progress per partner.
CREATE UNIQUE INDEX business_infos_open ON business_infos (partner_id)
    WHERE status IN ('auto_verifying', 'pending_manual', 'letter_needed', 'letter_pending', 'letter_review');
-- At most one certified row per partner (the payout target).
CREATE UNIQUE INDEX business_infos_certified ON business_infos (partner_id) WHERE status = 'certified';
CREATE INDEX business_infos_partner_idx ON business_infos (partner_id, id DESC);
CREATE INDEX business_infos_status_idx ON business_infos (status, submitted_at);

-- The vendor's supplier system (§6.2.9): bank details of partners that
-- are also vendor suppliers, by credit code (inferred: maintained by the
-- vendor, seeded in the demo).
CREATE TABLE supplier_bank_records (
    credit_code  text        PRIMARY KEY,
    supplier_name text       NOT NULL,
    bank_name    text        NOT NULL,
    account_no   text        NOT NULL,
    branch_no    text        NOT NULL,
    account_name text        NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE supplier_bank_records;
DROP TABLE business_infos;
