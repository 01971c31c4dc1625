-- +goose Up
-- Foundation: partner tenants, users (partner accounts, members, vendor staff),
-- server-side sessions, login throttling, roles and permission items,
-- audit trail, in-app messages, files, the generic application engine and
-- the working-day calendar.

CREATE TABLE partners (
    id                 bigserial PRIMARY KEY,
    name               text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    credit_code        text        NOT NULL CHECK (credit_code ~ '^[0-9A-Z]{9}$|^[0-9A-Z]{18}$'),
    status             text        NOT NULL DEFAULT 'registered'
                       CHECK (status IN ('registered', 'pending_review', 'active', 'rejected', 'disabled')),
    address            text        NOT NULL DEFAULT '',
    postal_code        text        NOT NULL DEFAULT '',
    legal_representative text      NOT NULL DEFAULT '',
    registered_capital text        NOT NULL DEFAULT '',
    established_on     date,
    business_scope     text        NOT NULL DEFAULT '',
    introduction       text        NOT NULL DEFAULT '' CHECK (length(introduction) <= 2000),
    logo_file_id       bigint,
    contact_name       text        NOT NULL DEFAULT '',
    contact_position   text        NOT NULL DEFAULT '',
    contact_mobile     text        NOT NULL DEFAULT '',
    contact_email      text        NOT NULL DEFAULT '',
    site               text        NOT NULL DEFAULT 'cn' CHECK (site IN ('cn', 'intl', 'eu')),
    parent_partner_id  bigint      REFERENCES partners (id),
    eco_manager_id     bigint,
    joined_hcpn_at     timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_partner_id IS NULL OR parent_partner_id <> id)
);
CREATE INDEX partners_credit_code_idx ON partners (credit_code);
CREATE INDEX partners_eco_manager_idx ON partners (eco_manager_id);
CREATE INDEX partners_parent_idx ON partners (parent_partner_id);

-- Partner identities (seed 003 §7.1.1 table 7-1): programs and development paths.
CREATE TABLE partner_identities (
    partner_id bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    identity   text   NOT NULL CHECK (identity IN (
        'solution_provider', 'master_distributor', 'cloud_reseller',
        'software', 'service', 'si', 'learning')),
    joined_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_id, identity)
);

CREATE TABLE users (
    id                  bigserial PRIMARY KEY,
    kind                text        NOT NULL CHECK (kind IN ('partner', 'vendor')),
    partner_id          bigint      REFERENCES partners (id) ON DELETE CASCADE,
    vendor_role         text        CHECK (vendor_role IN ('eco_manager', 'vendor_admin')),
    login_name          text        NOT NULL CHECK (login_name ~ '^[A-Za-z][A-Za-z0-9_.-]{2,31}$'),
    display_name        text        NOT NULL DEFAULT '',
    email               text,
    mobile              text,
    password_hash       text        NOT NULL,
    is_main             boolean     NOT NULL DEFAULT false,
    status              text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    locale              text        NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en-US')),
    position            text        NOT NULL DEFAULT '',
    last_login_at       timestamptz,
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'partner' AND partner_id IS NOT NULL AND vendor_role IS NULL)
        OR (kind = 'vendor' AND partner_id IS NULL AND vendor_role IS NOT NULL AND NOT is_main)),
    -- the main account can never be disabled (seed 003 §7.1.3: it owns the tenant)
    CHECK (NOT (is_main AND status = 'disabled'))
);
CREATE UNIQUE INDEX users_login_name_key ON users (lower(login_name));
CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX users_mobile_key ON users (mobile) WHERE mobile IS NOT NULL;
CREATE UNIQUE INDEX users_one_main_per_partner ON users (partner_id) WHERE is_main;
CREATE INDEX users_partner_idx ON users (partner_id, id);

ALTER TABLE partners ADD CONSTRAINT partners_eco_manager_fk
    FOREIGN KEY (eco_manager_id) REFERENCES users (id) ON DELETE SET NULL;

-- Server-side sessions behind the gorilla/sessions store (revocable).
CREATE TABLE user_sessions (
    id           bigserial PRIMARY KEY,
    token_hash   bytea       NOT NULL UNIQUE,
    user_id      bigint      REFERENCES users (id) ON DELETE CASCADE,
    data         jsonb       NOT NULL DEFAULT '{}',
    ip           text        NOT NULL DEFAULT '',
    user_agent   text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id);
CREATE INDEX user_sessions_expires_idx ON user_sessions (expires_at);

CREATE TABLE login_failures (
    id         bigserial PRIMARY KEY,
    login_name text        NOT NULL,
    ip         text        NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_name_idx ON login_failures (lower(login_name), at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);

-- Roles: custom roles belong to one partner; the preset 客户经理 role
-- (seed 003 §7.1.4) is global, fixed and has partner_id NULL.
CREATE TABLE roles (
    id          bigserial PRIMARY KEY,
    partner_id  bigint      REFERENCES partners (id) ON DELETE CASCADE,
    preset      text        UNIQUE CHECK (preset IN ('customer_manager')),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    description text        NOT NULL DEFAULT '' CHECK (length(description) <= 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((preset IS NULL) <> (partner_id IS NULL))
);
CREATE UNIQUE INDEX roles_partner_name_key ON roles (partner_id, lower(name)) WHERE partner_id IS NOT NULL;

-- The preset 客户经理 role exists once for every tenant; its items are
-- fixed in code (access.PresetCustomerManager).
INSERT INTO roles (preset, name, description) VALUES ('customer_manager', '客户经理', '');

CREATE TABLE role_items (
    role_id bigint NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    item    text   NOT NULL,
    PRIMARY KEY (role_id, item)
);

CREATE TABLE user_roles (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id bigint NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role_idx ON user_roles (role_id);

-- Append-only audit trail.
CREATE TABLE audit_log (
    id            bigserial PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    actor_user_id bigint,
    actor_name    text        NOT NULL DEFAULT '',
    partner_id    bigint,
    action        text        NOT NULL,
    object_type   text        NOT NULL,
    object_id     text        NOT NULL DEFAULT '',
    before        jsonb,
    after         jsonb,
    request_id    text        NOT NULL DEFAULT '',
    ip            text        NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_partner_at_idx ON audit_log (partner_id, at DESC, id DESC);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);

-- +goose StatementBegin
CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- In-app messages (站内信). Subject and body are catalog keys rendered in
-- the reader's language with params.
CREATE TABLE messages (
    id          bigserial PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    partner_id  bigint      REFERENCES partners (id) ON DELETE CASCADE,
    subject_key text        NOT NULL,
    body_key    text        NOT NULL,
    params      jsonb       NOT NULL DEFAULT '{}',
    link        text        NOT NULL DEFAULT '',
    read_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_user_idx ON messages (user_id, created_at DESC);
CREATE INDEX messages_unread_idx ON messages (user_id) WHERE read_at IS NULL;

-- Uploaded files (logos, attachments) live in PostgreSQL so app servers
-- keep no state of their own.
CREATE TABLE files (
    id           bigserial PRIMARY KEY,
    partner_id   bigint      REFERENCES partners (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    content_type text        NOT NULL,
    size         bigint      NOT NULL CHECK (size >= 0 AND size <= 10485760),
    sha256       bytea       NOT NULL,
    data         bytea       NOT NULL,
    created_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX files_partner_idx ON files (partner_id);
ALTER TABLE partners ADD CONSTRAINT partners_logo_fk FOREIGN KEY (logo_file_id) REFERENCES files (id) ON DELETE SET NULL;

-- Generic application engine (internal/approval).
CREATE TABLE applications (
    id                bigserial PRIMARY KEY,
    type              text        NOT NULL,
    partner_id        bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    applicant_user_id bigint      REFERENCES users (id) ON DELETE SET NULL,
    state             text        NOT NULL DEFAULT 'draft'
                      CHECK (state IN ('draft', 'submitted', 'approved', 'rejected', 'withdrawn')),
    title             text        NOT NULL DEFAULT '',
    payload           jsonb       NOT NULL DEFAULT '{}',
    checks            jsonb       NOT NULL DEFAULT '[]',
    reviewer_id       bigint      REFERENCES users (id) ON DELETE SET NULL,
    submitted_at      timestamptz,
    due_at            timestamptz,
    decided_at        timestamptz,
    decided_by        bigint      REFERENCES users (id) ON DELETE SET NULL,
    decision_comment  text        NOT NULL DEFAULT '' CHECK (length(decision_comment) <= 1000),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (state <> 'rejected' OR decision_comment <> ''),
    CHECK (state IN ('draft') OR submitted_at IS NOT NULL)
);
CREATE INDEX applications_partner_idx ON applications (partner_id, created_at DESC);
CREATE INDEX applications_reviewer_idx ON applications (reviewer_id, state, due_at);
CREATE INDEX applications_state_idx ON applications (state, due_at);

CREATE TABLE application_events (
    id             bigserial PRIMARY KEY,
    application_id bigint      NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    at             timestamptz NOT NULL DEFAULT now(),
    actor_user_id  bigint,
    actor_name     text        NOT NULL DEFAULT '',
    action         text        NOT NULL,
    from_state     text        NOT NULL DEFAULT '',
    to_state       text        NOT NULL DEFAULT '',
    comment        text        NOT NULL DEFAULT ''
);
CREATE INDEX application_events_app_idx ON application_events (application_id, at);

CREATE TABLE application_attachments (
    application_id bigint NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    file_id        bigint NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    PRIMARY KEY (application_id, file_id)
);

-- Working-day calendar overrides: public holidays on weekdays and
-- make-up working days (调休) on weekends.
CREATE TABLE calendar_days (
    day  date PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name text NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE calendar_days;
DROP TABLE application_attachments;
DROP TABLE application_events;
DROP TABLE applications;
ALTER TABLE partners DROP CONSTRAINT partners_logo_fk;
DROP TABLE files;
DROP TABLE messages;
DROP TRIGGER audit_log_append_only ON audit_log;
DROP TABLE audit_log;
DROP FUNCTION forbid_change();
DROP TABLE user_roles;
DROP TABLE role_items;
DROP TABLE roles;
DROP TABLE login_failures;
DROP TABLE user_sessions;
ALTER TABLE partners DROP CONSTRAINT partners_eco_manager_fk;
DROP TABLE users;
DROP TABLE partner_identities;
DROP TABLE partners;
