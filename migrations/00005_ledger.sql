-- +goose Up
-- Money: a double-entry, append-only ledger (DESIGN.md §6–7).
--
-- Every movement of money is one ledger_transactions row (the business
-- record: a recharge, a transfer to a resale customer, a recovery, an
-- unbinding recovery, a withdrawal) with two or more ledger_entries whose
-- amounts sum to zero. Each account caches its balance, updated in the
-- same database transaction as the entries; `partnercenter check ledger`
-- proves that the cache equals the sum of the entries. Entries and
-- transactions are append-only (forbid_change() of 00001).
--
-- Sign convention: an entry's amount is what the account's owner gains.
-- A partner's cash account and a customer's partner-funded balance are
-- never negative (CHECK); the vendor's bank clearing account is the
-- other side of recharges and paid withdrawals and runs negative (it is
-- what the vendor holds on behalf of partners).
--
-- Amounts moved are charged amounts, so at most 2 decimals (fen): prices
-- and consumption keep 8 decimals elsewhere and are truncated to the fen
-- (抹零, seed 003 §12.1.9.14) before they reach the ledger. Columns are
-- unconstrained NUMERIC with an explicit CHECK so a third decimal is
-- refused instead of being rounded silently.

-- Vendor finance (财务) confirms bank receipts and pays withdrawals.
ALTER TABLE users DROP CONSTRAINT users_vendor_role_check;
ALTER TABLE users ADD CONSTRAINT users_vendor_role_check
    CHECK (vendor_role IN ('eco_manager', 'vendor_admin', 'finance'));

CREATE TABLE ledger_accounts (
    id                  bigserial PRIMARY KEY,
    kind                text        NOT NULL CHECK (kind IN (
                            'partner_cash',        -- a partner's recharge account (充值账户)
                            'partner_withdrawing', -- a partner's money held by pending withdrawals
                            'customer_funded',     -- a resale customer's balance funded by one partner
                            'vendor_bank',         -- vendor clearing: bank receipts and payouts
                            'vendor_revenue')),    -- vendor clearing: consumption drawn down (later)
    partner_id          bigint      REFERENCES partners (id),
    customer_id         bigint      REFERENCES customers (id),
    -- R18 (seed 003 §12.1.3.5): each partner's dedicated recharge account
    -- number is unique.
    recharge_account_no text        UNIQUE CHECK (recharge_account_no ~ '^[0-9]{16,24}$'),
    balance             numeric     NOT NULL DEFAULT 0 CHECK (balance = trunc(balance, 2)),
    allow_negative      boolean     NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (allow_negative OR balance >= 0),
    CHECK (allow_negative = (kind IN ('vendor_bank', 'vendor_revenue'))),
    CHECK (CASE kind
        WHEN 'partner_cash'        THEN partner_id IS NOT NULL AND customer_id IS NULL AND recharge_account_no IS NOT NULL
        WHEN 'partner_withdrawing' THEN partner_id IS NOT NULL AND customer_id IS NULL AND recharge_account_no IS NULL
        WHEN 'customer_funded'     THEN partner_id IS NOT NULL AND customer_id IS NOT NULL AND recharge_account_no IS NULL
        ELSE partner_id IS NULL AND customer_id IS NULL AND recharge_account_no IS NULL END)
);
CREATE UNIQUE INDEX ledger_accounts_partner_kind ON ledger_accounts (partner_id, kind) WHERE customer_id IS NULL AND partner_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_accounts_customer ON ledger_accounts (partner_id, customer_id) WHERE kind = 'customer_funded';
CREATE UNIQUE INDEX ledger_accounts_vendor ON ledger_accounts (kind) WHERE partner_id IS NULL;
CREATE INDEX ledger_accounts_customer_idx ON ledger_accounts (customer_id) WHERE customer_id IS NOT NULL;

INSERT INTO ledger_accounts (kind, allow_negative) VALUES ('vendor_bank', true), ('vendor_revenue', true);

-- One business movement of money. partner_id is the tenant that sees it;
-- customer_id the counterpart of transfers and recoveries.
CREATE TABLE ledger_transactions (
    id              bigserial PRIMARY KEY,
    partner_id      bigint      REFERENCES partners (id),
    customer_id     bigint      REFERENCES customers (id),
    kind            text        NOT NULL CHECK (kind IN (
                        'recharge',           -- 充值 (confirmed bank receipt)
                        'transfer',           -- 拨款 to a resale customer
                        'recover',            -- 回收 from a resale customer
                        'unbind_recover',     -- 解除关联回收
                        'withdraw',           -- 提现 requested (money held)
                        'withdraw_paid',      -- 提现 paid by vendor finance
                        'withdraw_rejected',  -- 提现 refused (money released)
                        'consumption')),      -- a resale customer's charge (later)
    amount          numeric     NOT NULL CHECK (amount > 0 AND amount = trunc(amount, 2)),
    -- Recharge source (R19, seed 003 §12.1.3.7) and the payer's name.
    source          text        CHECK (source IN ('bank_transfer', 'online_banking', 'alipay', 'wechat', 'incentive', 'mode_change')),
    payer_name      text        NOT NULL DEFAULT '' CHECK (length(payer_name) <= 200),
    reference       text        NOT NULL DEFAULT '' CHECK (length(reference) <= 100),
    withdrawal_id   bigint,
    memo            text        NOT NULL DEFAULT '' CHECK (length(memo) <= 500),
    request_key     text        NOT NULL DEFAULT '',
    created_by      bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'recharge') = (source IS NOT NULL)),
    CHECK (kind NOT IN ('transfer', 'recover', 'unbind_recover', 'consumption') OR customer_id IS NOT NULL)
);
CREATE INDEX ledger_transactions_partner_idx ON ledger_transactions (partner_id, kind, created_at DESC, id DESC);
CREATE INDEX ledger_transactions_customer_idx ON ledger_transactions (customer_id, created_at DESC) WHERE customer_id IS NOT NULL;
CREATE INDEX ledger_transactions_request_idx ON ledger_transactions (partner_id, request_key) WHERE request_key <> '';

CREATE TABLE ledger_entries (
    id             bigserial PRIMARY KEY,
    transaction_id bigint      NOT NULL REFERENCES ledger_transactions (id),
    account_id     bigint      NOT NULL REFERENCES ledger_accounts (id),
    amount         numeric     NOT NULL CHECK (amount <> 0 AND amount = trunc(amount, 2)),
    balance_after  numeric     NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_id, id DESC);
CREATE INDEX ledger_entries_transaction_idx ON ledger_entries (transaction_id);

CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- Every transaction balances: checked at commit, whatever wrote it.
-- +goose StatementBegin
CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE s numeric;
BEGIN
    SELECT sum(amount) INTO s FROM ledger_entries WHERE transaction_id = NEW.transaction_id;
    IF s <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (sum %)', NEW.transaction_id, s
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();

-- Idempotency keys: a money-moving request carries a key generated when
-- its form rendered. A replay with the same key and parameters returns
-- the first result and moves nothing; the same key with other parameters
-- is a conflict.
CREATE TABLE ledger_requests (
    partner_id   bigint      NOT NULL REFERENCES partners (id),
    key          text        NOT NULL CHECK (key ~ '^[A-Za-z0-9_-]{16,64}$'),
    request_hash text        NOT NULL,
    result       jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_id, key)
);

-- Per-tenant money settings: the balance alert (设置余额预警, seed 003
-- §7.1.1 table 7-1) and the step-up check for money operations.
CREATE TABLE billing_settings (
    partner_id      bigint      PRIMARY KEY REFERENCES partners (id) ON DELETE CASCADE,
    alert_threshold numeric     CHECK (alert_threshold IS NULL OR (alert_threshold >= 0 AND alert_threshold = trunc(alert_threshold, 2))),
    stepup_required boolean     NOT NULL DEFAULT false,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Withdrawals (提现, seed 003 §12.1.3.6–7, R19): requested by the partner,
-- paid or rejected by vendor finance. The money is held in the partner's
-- partner_withdrawing account meanwhile.
CREATE TABLE withdrawals (
    id             bigserial PRIMARY KEY,
    partner_id     bigint      NOT NULL REFERENCES partners (id),
    amount         numeric     NOT NULL CHECK (amount > 0 AND amount = trunc(amount, 2)),
    bank_name      text        NOT NULL CHECK (length(bank_name) BETWEEN 1 AND 100),
    account_no     text        NOT NULL CHECK (account_no ~ '^[0-9]{8,30}$'),
    holder_name    text        NOT NULL CHECK (length(holder_name) BETWEEN 1 AND 200),
    status         text        NOT NULL CHECK (status IN ('pending', 'paid', 'rejected')),
    reason         text        NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    requested_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    decided_by     bigint      REFERENCES users (id) ON DELETE SET NULL,
    requested_at   timestamptz NOT NULL DEFAULT now(),
    decided_at     timestamptz,
    CHECK ((status = 'pending') = (decided_at IS NULL)),
    CHECK (status <> 'rejected' OR reason <> '')
);
CREATE INDEX withdrawals_partner_idx ON withdrawals (partner_id, requested_at DESC, id DESC);
CREATE INDEX withdrawals_pending_idx ON withdrawals (requested_at) WHERE status = 'pending';

-- +goose Down
DROP TABLE withdrawals;
DROP TABLE billing_settings;
DROP TABLE ledger_requests;
DROP TRIGGER ledger_entries_balanced ON ledger_entries;
DROP FUNCTION ledger_check_balanced();
DROP TABLE ledger_entries;
DROP TABLE ledger_transactions;
DROP TABLE ledger_accounts;
DELETE FROM users WHERE vendor_role = 'finance';
ALTER TABLE users DROP CONSTRAINT users_vendor_role_check;
ALTER TABLE users ADD CONSTRAINT users_vendor_role_check CHECK (vendor_role IN ('eco_manager', 'vendor_admin'));
