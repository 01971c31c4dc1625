-- +goose Up
-- Invoices the partner asks the vendor for (账务 > 发票管理, seed 003
-- §12.1.4, §12.1.9.4; digest §3.13, §4.9, rules R20–R27, R51–R53).
--
-- A bill (账单) is (partner, billing period, signing entity): the cash the
-- partner's resale customers consumed in that month and billed by that
-- entity (R21: consumed cash only). An invoice covers one or several whole
-- bills (R22); invoice_bills holds which, and its partial unique index
-- makes a bill belong to at most one live invoice. A returned invoice
-- (已退票) releases its bills for a new application.

-- 发票信息 (§12.1.4.8, §12.1.4.22, R25): one valid record per account.
CREATE TABLE invoice_infos (
    id           bigserial PRIMARY KEY,
    partner_id   bigint      NOT NULL REFERENCES partners (id),
    -- R25: at most 100 bytes (UTF-8) and 50 characters.
    title        text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 50 AND octet_length(title) <= 100),
    taxpayer_id  text        NOT NULL CHECK (char_length(taxpayer_id) BETWEEN 1 AND 20),
    bank_name    text        NOT NULL DEFAULT '' CHECK (char_length(bank_name) <= 100),
    bank_account text        NOT NULL DEFAULT '' CHECK (char_length(bank_account) <= 40),
    address      text        NOT NULL DEFAULT '' CHECK (char_length(address) <= 200),
    phone        text        NOT NULL DEFAULT '' CHECK (char_length(phone) <= 30),
    valid        boolean     NOT NULL DEFAULT true,
    created_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
-- R25: exactly one valid record per partner account.
CREATE UNIQUE INDEX invoice_infos_one_valid ON invoice_infos (partner_id) WHERE valid;

CREATE SEQUENCE invoice_no_seq START 100001;
CREATE SEQUENCE invoice_number_seq START 10000001;

CREATE TABLE invoices (
    id              bigserial PRIMARY KEY,
    partner_id      bigint      NOT NULL REFERENCES partners (id),
    -- 申请单号, shown to both sides.
    no              text        NOT NULL UNIQUE DEFAULT ('FP' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || nextval('invoice_no_seq')::text),
    signing_entity  text        NOT NULL CHECK (signing_entity IN ('software', 'cloud')),
    -- by billing periods, or by a specified amount (§12.1.4.20, R26).
    apply_mode      text        NOT NULL CHECK (apply_mode IN ('periods', 'amount')),
    invoice_type    text        NOT NULL CHECK (invoice_type IN ('general', 'special')),
    medium          text        NOT NULL CHECK (medium IN ('paper', 'electronic')),
    -- 价税合计 (tax included), fen.
    amount          numeric     NOT NULL CHECK (amount > 0 AND amount = trunc(amount, 2)),
    -- R20: 6%; tax = amount × 6 / 106 rounded half-up to the fen.
    tax_rate        numeric     NOT NULL DEFAULT 0.06 CHECK (tax_rate = 0.06),
    tax_amount      numeric     NOT NULL,
    content         text        NOT NULL DEFAULT '云服务费' CHECK (content = '云服务费'),
    -- R23: paper under ¥100 goes freight collect (到付, the applicant
    -- pays); from ¥100 the vendor pays; electronic invoices are not mailed.
    postage         text        NOT NULL CHECK (postage IN ('collect', 'vendor', 'none')),
    -- The invoice info as it was when applying (printed on the invoice).
    title           text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 50 AND octet_length(title) <= 100),
    taxpayer_id     text        NOT NULL,
    bank_name       text        NOT NULL DEFAULT '',
    bank_account    text        NOT NULL DEFAULT '',
    reg_address     text        NOT NULL DEFAULT '',
    reg_phone       text        NOT NULL DEFAULT '',
    -- §12.1.4.11: printed on the invoice.
    remark          text        NOT NULL DEFAULT '' CHECK (char_length(remark) <= 100),
    mail_recipient  text        NOT NULL DEFAULT '' CHECK (char_length(mail_recipient) <= 50),
    mail_phone      text        NOT NULL DEFAULT '' CHECK (char_length(mail_phone) <= 30),
    mail_address    text        NOT NULL DEFAULT '' CHECK (char_length(mail_address) <= 200),
    state           text        NOT NULL DEFAULT 'applied'
        CHECK (state IN ('applied', 'issued', 'mailed', 'returned_requested', 'returned')),
    applied_by      bigint      REFERENCES users (id) ON DELETE SET NULL,
    applied_at      timestamptz NOT NULL DEFAULT now(),
    invoice_number  text        UNIQUE CHECK (invoice_number ~ '^[0-9]{8,20}$'),
    issued_by       bigint      REFERENCES users (id) ON DELETE SET NULL,
    issued_at       timestamptz,
    courier         text        NOT NULL DEFAULT '' CHECK (char_length(courier) <= 50),
    tracking_no     text        NOT NULL DEFAULT '' CHECK (char_length(tracking_no) <= 50),
    mailed_by       bigint      REFERENCES users (id) ON DELETE SET NULL,
    mailed_at       timestamptz,
    -- 退票 (§12.1.9.4): cannot be withdrawn once submitted.
    return_reason       text    NOT NULL DEFAULT '' CHECK (char_length(return_reason) <= 100),
    return_courier      text    NOT NULL DEFAULT '' CHECK (char_length(return_courier) <= 50),
    return_tracking_no  text    NOT NULL DEFAULT '' CHECK (char_length(return_tracking_no) <= 50),
    return_remark       text    NOT NULL DEFAULT '' CHECK (char_length(return_remark) <= 128),
    return_requested_by bigint  REFERENCES users (id) ON DELETE SET NULL,
    return_requested_at timestamptz,
    returned_by     bigint      REFERENCES users (id) ON DELETE SET NULL,
    returned_at     timestamptz,
    UNIQUE (id, partner_id, signing_entity),
    CHECK (tax_amount = round(amount * 6 / 106, 2)),
    -- R24: electronic only for general invoices.
    CHECK (invoice_type = 'general' OR medium = 'paper'),
    CHECK (postage = CASE WHEN medium = 'electronic' THEN 'none' WHEN amount < 100 THEN 'collect' ELSE 'vendor' END),
    CHECK (medium = 'electronic' OR (mail_recipient <> '' AND mail_address <> '')),
    -- R24 / §12.1.4.8: a special invoice needs the complete invoice info.
    CHECK (invoice_type = 'general' OR (bank_name <> '' AND bank_account <> '' AND reg_address <> '' AND reg_phone <> '')),
    CHECK (state = 'applied' OR (invoice_number IS NOT NULL AND issued_at IS NOT NULL)),
    CHECK (state <> 'mailed' OR (medium = 'paper' AND mailed_at IS NOT NULL AND courier <> '' AND tracking_no <> '')),
    CHECK (state NOT IN ('returned_requested', 'returned') OR
           (return_requested_at IS NOT NULL AND return_reason <> '' AND return_courier <> '' AND return_tracking_no <> '')),
    CHECK (state <> 'returned' OR returned_at IS NOT NULL)
);
CREATE INDEX invoices_partner_idx ON invoices (partner_id, signing_entity, applied_at DESC, id DESC);
CREATE INDEX invoices_state_idx ON invoices (state, applied_at);

-- The bills an invoice covers (R22). active turns false when the invoice
-- is returned (已退票), which frees the bill for a new application.
CREATE TABLE invoice_bills (
    invoice_id     bigint  NOT NULL,
    partner_id     bigint  NOT NULL,
    signing_entity text    NOT NULL,
    billing_period date    NOT NULL CHECK (billing_period = date_trunc('month', billing_period)::date),
    -- The bill's invoiceable cash when it was claimed (may be negative:
    -- a month of refunds, matched first — R26).
    amount         numeric NOT NULL CHECK (amount = trunc(amount, 2)),
    active         boolean NOT NULL DEFAULT true,
    PRIMARY KEY (invoice_id, billing_period),
    FOREIGN KEY (invoice_id, partner_id, signing_entity) REFERENCES invoices (id, partner_id, signing_entity)
);
-- R22: a bill is never split: at most one live invoice per bill.
CREATE UNIQUE INDEX invoice_bills_once ON invoice_bills (partner_id, billing_period, signing_entity) WHERE active;

-- The e-invoice file vendor finance produced when issuing (electronic).
CREATE TABLE invoice_documents (
    invoice_id   bigint      PRIMARY KEY REFERENCES invoices (id),
    partner_id   bigint      NOT NULL REFERENCES partners (id),
    file_name    text        NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
    content_type text        NOT NULL DEFAULT 'application/pdf',
    content      bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE invoice_documents;
DROP TABLE invoice_bills;
DROP TABLE invoices;
DROP SEQUENCE invoice_number_seq;
DROP SEQUENCE invoice_no_seq;
DROP TABLE invoice_infos;
