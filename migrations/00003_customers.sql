-- +goose Up
-- Customers (seed 003 §12.1.2, §12.4): reports (报备) that protect a
-- partner's claim, invitations (online 7 days / offline without expiry),
-- customer cloud accounts that sign in to the customer console,
-- associations (exactly one active partner per customer, R9) in resale
-- (代售) or consulting (顾问销售) mode with an assigned customer manager, and
-- the association operation records (关联关系操作记录).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Customers sign in like everyone else (one session store, one throttle).
ALTER TABLE users DROP CONSTRAINT users_kind_check;
ALTER TABLE users ADD CONSTRAINT users_kind_check CHECK (kind IN ('partner', 'vendor', 'customer'));
ALTER TABLE users DROP CONSTRAINT users_check;
ALTER TABLE users ADD CONSTRAINT users_kind_shape CHECK (
       (kind = 'partner' AND partner_id IS NOT NULL AND vendor_role IS NULL)
    OR (kind = 'vendor' AND partner_id IS NULL AND vendor_role IS NOT NULL AND NOT is_main)
    OR (kind = 'customer' AND partner_id IS NULL AND vendor_role IS NULL AND NOT is_main));

-- A member may supervise customer managers: it sees their customers
-- (R57, seed 003 §12.1.9.5).
ALTER TABLE users ADD COLUMN supervisor_id bigint REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE users ADD CONSTRAINT users_supervisor_not_self CHECK (supervisor_id IS NULL OR supervisor_id <> id);
CREATE INDEX users_supervisor_idx ON users (supervisor_id) WHERE supervisor_id IS NOT NULL;

-- Product settings the vendor tunes (e.g. the report validity period).
CREATE TABLE settings (
    key        text PRIMARY KEY,
    value      text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO settings (key, value) VALUES ('customer_report_validity_days', '90');

-- A customer cloud account (华为云账号). user_id is its console login;
-- accounts loaded in bulk (scale data) may have none.
CREATE TABLE customers (
    id                   bigserial PRIMARY KEY,
    user_id              bigint      UNIQUE REFERENCES users (id) ON DELETE SET NULL,
    account_name         text        NOT NULL,
    name                 text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind                 text        NOT NULL CHECK (kind IN ('personal', 'enterprise')),
    real_name_status     text        NOT NULL DEFAULT 'none' CHECK (real_name_status IN ('none', 'personal', 'enterprise')),
    credit_code          text,
    mobile               text,
    email                text,
    industry             text        NOT NULL DEFAULT '',
    region               text        NOT NULL DEFAULT '',
    level                text        NOT NULL DEFAULT '',
    registered_at        timestamptz NOT NULL,
    enterprise_master_id bigint      REFERENCES customers (id),
    finance_hosted       boolean     NOT NULL DEFAULT false,
    cash_balance         numeric(20, 2) NOT NULL DEFAULT 0 CHECK (cash_balance >= 0),
    grace_days           integer     NOT NULL DEFAULT 0 CHECK (grace_days >= 0),
    agreement_version    text        NOT NULL DEFAULT '',
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (enterprise_master_id IS NULL OR enterprise_master_id <> id),
    CHECK (NOT finance_hosted OR enterprise_master_id IS NOT NULL)
);
CREATE UNIQUE INDEX customers_account_name_key ON customers (lower(account_name));
CREATE INDEX customers_mobile_idx ON customers (mobile);
CREATE INDEX customers_email_idx ON customers (lower(email));
CREATE INDEX customers_credit_code_idx ON customers (credit_code);
CREATE INDEX customers_name_trgm ON customers USING gin (name gin_trgm_ops);
CREATE INDEX customers_account_trgm ON customers USING gin (account_name gin_trgm_ops);

-- 报备: a partner's claim on a prospect, valid until expires_at.
CREATE TABLE customer_reports (
    id             bigserial PRIMARY KEY,
    partner_id     bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    customer_name  text        NOT NULL CHECK (length(customer_name) BETWEEN 1 AND 200),
    customer_kind  text        NOT NULL DEFAULT 'enterprise' CHECK (customer_kind IN ('personal', 'enterprise')),
    credit_code    text,
    contact_name   text        NOT NULL DEFAULT '',
    mobile         text        NOT NULL,
    email          text        NOT NULL DEFAULT '',
    industry       text        NOT NULL DEFAULT '',
    region         text        NOT NULL DEFAULT '',
    notes          text        NOT NULL DEFAULT '' CHECK (length(notes) <= 1000),
    status         text        NOT NULL CHECK (status IN ('protected', 'in_review', 'rejected', 'associated', 'expired')),
    expires_at     timestamptz NOT NULL,
    application_id bigint      REFERENCES applications (id) ON DELETE SET NULL,
    customer_id    bigint      REFERENCES customers (id) ON DELETE SET NULL,
    reported_by    bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_reports_partner_idx ON customer_reports (partner_id, created_at DESC, id DESC);
CREATE INDEX customer_reports_mobile_idx ON customer_reports (mobile) WHERE status IN ('protected', 'in_review');
CREATE INDEX customer_reports_email_idx ON customer_reports (lower(email)) WHERE status IN ('protected', 'in_review');
CREATE INDEX customer_reports_name_idx ON customer_reports (lower(customer_name)) WHERE status IN ('protected', 'in_review');
CREATE INDEX customer_reports_code_idx ON customer_reports (credit_code) WHERE status IN ('protected', 'in_review');

-- Invitations of a reported customer. Online: emailed, link valid 7 days
-- (R10), re-invitable. Offline: link and QR code, no expiry, but only an
-- account created within 7 days may associate through it (R11).
CREATE TABLE invitations (
    id                   bigserial PRIMARY KEY,
    partner_id           bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    report_id            bigint      NOT NULL REFERENCES customer_reports (id) ON DELETE CASCADE,
    channel              text        NOT NULL CHECK (channel IN ('online', 'offline')),
    mode                 text        NOT NULL CHECK (mode IN ('resale', 'consulting')),
    email                text        NOT NULL DEFAULT '',
    token                text        NOT NULL UNIQUE,
    status               text        NOT NULL CHECK (status IN ('sent', 'opened', 'accepted', 'expired', 'revoked')),
    expires_at           timestamptz,
    sent_at              timestamptz NOT NULL DEFAULT now(),
    opened_at            timestamptz,
    accepted_at          timestamptz,
    accepted_customer_id bigint      REFERENCES customers (id) ON DELETE SET NULL,
    created_by           bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    CHECK ((channel = 'online') = (expires_at IS NOT NULL)),
    CHECK (channel = 'offline' OR email <> '')
);
CREATE INDEX invitations_partner_idx ON invitations (partner_id, created_at DESC, id DESC);
CREATE INDEX invitations_report_idx ON invitations (report_id);

-- Association of a customer with a partner; exactly one active per
-- customer (R9, seed 003 §12.1.2.3) is enforced here.
CREATE TABLE associations (
    id              bigserial PRIMARY KEY,
    partner_id      bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    customer_id     bigint      NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    mode            text        NOT NULL CHECK (mode IN ('resale', 'consulting')),
    status          text        NOT NULL CHECK (status IN ('active', 'ended')),
    invitation_id   bigint      REFERENCES invitations (id) ON DELETE SET NULL,
    manager_user_id bigint      REFERENCES users (id) ON DELETE SET NULL,
    associated_at   timestamptz NOT NULL,
    ended_at        timestamptz,
    -- R16: the on-demand grace period before the association raised it
    -- (1 day while associating in resale mode, 7 days while unbinding).
    grace_days_before integer,
    CHECK ((status = 'ended') = (ended_at IS NOT NULL))
);
CREATE UNIQUE INDEX associations_one_active_per_customer ON associations (customer_id) WHERE status = 'active';
CREATE INDEX associations_partner_active_idx ON associations (partner_id, associated_at DESC, id DESC) WHERE status = 'active';
CREATE INDEX associations_partner_manager_idx ON associations (partner_id, manager_user_id) WHERE status = 'active';
CREATE INDEX associations_customer_idx ON associations (customer_id, associated_at DESC);

-- 关联关系操作记录: associations, mode switches and unbindings, with who
-- started them, their state and who decided.
CREATE TABLE association_requests (
    id             bigserial PRIMARY KEY,
    partner_id     bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    customer_id    bigint      NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    association_id bigint      REFERENCES associations (id) ON DELETE SET NULL,
    type           text        NOT NULL CHECK (type IN ('associate', 'unbind', 'switch')),
    initiator      text        NOT NULL CHECK (initiator IN ('partner', 'customer', 'system')),
    from_mode      text        CHECK (from_mode IN ('resale', 'consulting')),
    to_mode        text        CHECK (to_mode IN ('resale', 'consulting')),
    reason         text        NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    status         text        NOT NULL CHECK (status IN ('pending', 'completed', 'rejected', 'cancelled')),
    requested_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    decided_by     bigint      REFERENCES users (id) ON DELETE SET NULL,
    decision_note  text        NOT NULL DEFAULT '' CHECK (length(decision_note) <= 500),
    requested_at   timestamptz NOT NULL DEFAULT now(),
    decided_at     timestamptz,
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX association_requests_partner_idx ON association_requests (partner_id, requested_at DESC, id DESC);
CREATE INDEX association_requests_customer_idx ON association_requests (customer_id, requested_at DESC);
-- At most one pending request of a kind per customer.
CREATE UNIQUE INDEX association_requests_one_pending ON association_requests (customer_id, type) WHERE status = 'pending';

-- +goose Down
DROP TABLE association_requests;
DROP TABLE associations;
DROP TABLE invitations;
DROP TABLE customer_reports;
DROP TABLE customers;
DROP TABLE settings;
DROP INDEX users_supervisor_idx;
ALTER TABLE users DROP CONSTRAINT users_supervisor_not_self;
ALTER TABLE users DROP COLUMN supervisor_id;
DELETE FROM users WHERE kind = 'customer';
ALTER TABLE users DROP CONSTRAINT users_kind_shape;
ALTER TABLE users ADD CONSTRAINT users_check CHECK (
       (kind = 'partner' AND partner_id IS NOT NULL AND vendor_role IS NULL)
    OR (kind = 'vendor' AND partner_id IS NULL AND vendor_role IS NOT NULL AND NOT is_main));
ALTER TABLE users DROP CONSTRAINT users_kind_check;
ALTER TABLE users ADD CONSTRAINT users_kind_check CHECK (kind IN ('partner', 'vendor'));
