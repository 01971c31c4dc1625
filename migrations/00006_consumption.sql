-- +goose Up
-- Consumption (客户消费) and the partner bill built from it (seed 003
-- §12.1.7.1, §12.1.9.8, §12.1.9.14; digest §3.20–3.21).
--
-- Vendor finance loads consumption by importing a file (CSV/xlsx); every
-- accepted line becomes one consumption_records row. A line carries the
-- 8-decimal amounts of the vendor's rating (官网价 list price, 优惠金额
-- discount, 应付金额 amount payable = list − discount); the charge is the
-- amount payable truncated to the fen and the discarded digits 3–8 are
-- the 抹零 amount (R61, §12.1.9.14). The CHECKs below hold that rule for
-- every row whatever wrote it.
--
-- Refunds (退款) carry negative amounts, so sums over a period are the
-- bill's totals without special cases. A resale (代售) customer's cash
-- part is drawn from its partner-funded balance through the ledger
-- (kind 'consumption' / 'consumption_refund'); what the balance cannot
-- cover is arrears (欠费). The partner bill of a period is these rows of
-- the partner's customers in that period: total = cash + voucher +
-- stored-value card + arrears (§12.1.9.8).

-- §12.1.9.4: from this instant the partner's signing entity (签约主体) is
-- 华为云计算技术有限公司 instead of 华为软件技术有限公司. NULL: never changed.
ALTER TABLE partners ADD COLUMN signing_entity_changed_at timestamptz;

CREATE TABLE consumption_imports (
    id            bigserial PRIMARY KEY,
    file_name     text        NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    status        text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
    rows_total    integer     NOT NULL DEFAULT 0 CHECK (rows_total >= 0),
    rows_accepted integer     NOT NULL DEFAULT 0 CHECK (rows_accepted >= 0),
    rows_rejected integer     NOT NULL DEFAULT 0 CHECK (rows_rejected >= 0),
    rounding_off  numeric     NOT NULL DEFAULT 0,
    failure       text        NOT NULL DEFAULT '',
    created_by    bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);
CREATE INDEX consumption_imports_created_idx ON consumption_imports (created_at DESC, id DESC);

-- The rejected lines of an import: line number in the file (the header
-- is line 1), column, message key of the catalog and the offending value.
CREATE TABLE consumption_import_rejects (
    import_id   bigint NOT NULL REFERENCES consumption_imports (id) ON DELETE CASCADE,
    line_no     integer NOT NULL CHECK (line_no >= 1),
    column_name text    NOT NULL,
    message_key text    NOT NULL,
    value       text    NOT NULL DEFAULT '' CHECK (length(value) <= 200),
    PRIMARY KEY (import_id, line_no, column_name)
);

-- Validated lines of the running import, loaded by COPY (imports are
-- serialized by an advisory lock and empty it before and after). Unlogged:
-- it is scratch space, rebuilt by re-running the import after a crash.
CREATE UNLOGGED TABLE consumption_import_stage (
    line_no          integer     NOT NULL,
    source_ref       text        NOT NULL,
    customer_account text        NOT NULL,
    bill_type        text        NOT NULL,
    billing_period   date        NOT NULL,
    transaction_at   timestamptz NOT NULL,
    order_no         text        NOT NULL,
    product_type     text        NOT NULL,
    product_name     text        NOT NULL,
    resource_type    text        NOT NULL,
    resource_id      text        NOT NULL,
    region           text        NOT NULL,
    billing_mode     text        NOT NULL,
    list_price       text        NOT NULL,
    discount_amount  text        NOT NULL,
    voucher_paid     text        NOT NULL,
    card_paid        text        NOT NULL
);

-- No foreign keys on this table, on purpose: it is the high-volume fact
-- table, written only by the importer, which takes partner_id,
-- customer_id and import_id from a join on those tables in the same
-- transaction. Measured on 100,000 lines, the three FK triggers cost
-- 3.1 s of a 5.8 s insert (docs/PERFORMANCE.md). `partnercenter check
-- ledger` also reports lines whose partner, customer or import is gone.
CREATE TABLE consumption_records (
    id              bigserial PRIMARY KEY,
    partner_id      bigint      NOT NULL,
    customer_id     bigint      NOT NULL,
    mode            text        NOT NULL CHECK (mode IN ('resale', 'consulting')),
    bill_type       text        NOT NULL CHECK (bill_type IN ('consumption', 'refund', 'adjustment')),
    -- 账期: the first day of the billing month.
    billing_period  date        NOT NULL CHECK (billing_period = date_trunc('month', billing_period)::date),
    transaction_at  timestamptz NOT NULL,
    -- §12.1.9.4: the entity that bills this line ('software' before the
    -- partner's change instant, 'cloud' from it).
    signing_entity  text        NOT NULL CHECK (signing_entity IN ('software', 'cloud')),
    order_no        text        NOT NULL DEFAULT '' CHECK (length(order_no) <= 64),
    product_type    text        NOT NULL CHECK (length(product_type) BETWEEN 1 AND 100),
    product_name    text        NOT NULL DEFAULT '' CHECK (length(product_name) <= 200),
    resource_type   text        NOT NULL DEFAULT '' CHECK (length(resource_type) <= 100),
    resource_id     text        NOT NULL DEFAULT '' CHECK (length(resource_id) <= 128),
    region          text        NOT NULL DEFAULT '' CHECK (length(region) <= 64),
    billing_mode    text        NOT NULL CHECK (billing_mode IN ('yearly_monthly', 'on_demand')),
    list_price      numeric     NOT NULL CHECK (list_price = trunc(list_price, 8)),
    discount_amount numeric     NOT NULL DEFAULT 0 CHECK (discount_amount = trunc(discount_amount, 8)),
    amount_payable  numeric     NOT NULL,
    charged_amount  numeric     NOT NULL,
    rounding_off    numeric     NOT NULL,
    cash_paid       numeric     NOT NULL DEFAULT 0 CHECK (cash_paid = trunc(cash_paid, 2)),
    voucher_paid    numeric     NOT NULL DEFAULT 0 CHECK (voucher_paid = trunc(voucher_paid, 2)),
    card_paid       numeric     NOT NULL DEFAULT 0 CHECK (card_paid = trunc(card_paid, 2)),
    arrears         numeric     NOT NULL DEFAULT 0 CHECK (arrears = trunc(arrears, 2)),
    import_id       bigint,
    -- The source system's line id: a re-imported line is skipped, not doubled.
    source_ref      text        NOT NULL CHECK (length(source_ref) BETWEEN 1 AND 64),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (amount_payable = list_price - discount_amount),
    -- R61 (§12.1.9.14): charged = amount payable truncated to the fen; the rest is 抹零.
    CHECK (charged_amount = trunc(amount_payable, 2)),
    CHECK (rounding_off = amount_payable - charged_amount),
    CHECK (cash_paid + voucher_paid + card_paid + arrears = charged_amount),
    CHECK (CASE bill_type
        WHEN 'consumption' THEN amount_payable >= 0 AND cash_paid >= 0 AND voucher_paid >= 0 AND card_paid >= 0 AND arrears >= 0
        WHEN 'refund'      THEN amount_payable <= 0 AND cash_paid <= 0 AND voucher_paid <= 0 AND card_paid <= 0 AND arrears <= 0
        ELSE true END)
);
CREATE UNIQUE INDEX consumption_records_source_ref ON consumption_records (source_ref);
CREATE INDEX consumption_records_partner_period_idx ON consumption_records (partner_id, billing_period, transaction_at DESC, id DESC);
CREATE TRIGGER consumption_records_append_only BEFORE UPDATE OR DELETE ON consumption_records
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- A resale customer's charges draw down its partner-funded balance;
-- refunds of cash return to it.
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind_check CHECK (kind IN (
    'recharge', 'transfer', 'recover', 'unbind_recover', 'withdraw', 'withdraw_paid', 'withdraw_rejected',
    'consumption', 'consumption_refund'));
ALTER TABLE ledger_transactions ADD COLUMN consumption_import_id bigint REFERENCES consumption_imports (id);

-- +goose Down
ALTER TABLE ledger_transactions DROP COLUMN consumption_import_id;
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind_check CHECK (kind IN (
    'recharge', 'transfer', 'recover', 'unbind_recover', 'withdraw', 'withdraw_paid', 'withdraw_rejected', 'consumption'));
DROP TABLE consumption_records;
DROP TABLE consumption_import_stage;
DROP TABLE consumption_import_rejects;
DROP TABLE consumption_imports;
ALTER TABLE partners DROP COLUMN signing_entity_changed_at;
