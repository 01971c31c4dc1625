-- +goose Up
-- Outbound messages (build-plan 5.E; issue 14): e-mail and SMS written in
-- the business transaction and delivered by a River worker through
-- pluggable senders, with retries and a delivery log; and 消息接收设置
-- (seed 003 §6.1.1): per user and channel, whether to receive, the
-- language and the time zone.
CREATE TABLE outbox_messages (
    id          bigserial   PRIMARY KEY,
    channel     text        NOT NULL CHECK (channel IN ('email', 'sms')),
    -- the user it is for (its settings chose channel, language and time
    -- zone), or none for a bare address (a customer's invitation e-mail)
    user_id     bigint      REFERENCES users (id) ON DELETE SET NULL,
    partner_id  bigint      REFERENCES partners (id) ON DELETE CASCADE,
    recipient   text        NOT NULL CHECK (length(recipient) BETWEEN 3 AND 320),
    -- catalog key prefix: <template>.subject and <template>.body (e-mail),
    -- <template>.sms (SMS)
    template    text        NOT NULL CHECK (template ~ '^[a-z_]+(\.[a-z_]+)+$'),
    params      jsonb       NOT NULL DEFAULT '{}',
    lang        text        NOT NULL CHECK (lang IN ('zh-CN', 'en-US')),
    time_zone   text        NOT NULL,
    -- queued → sent | failed (after the last attempt)
    status      text        NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts    int         NOT NULL DEFAULT 0,
    next_at     timestamptz NOT NULL,
    -- a worker holds the message while it sends; a crashed worker's hold
    -- runs out and another sends it
    lease_until timestamptz,
    last_error  text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    sent_at     timestamptz
);
CREATE INDEX outbox_messages_due_idx ON outbox_messages (next_at) WHERE status = 'queued';
CREATE INDEX outbox_messages_created_idx ON outbox_messages (created_at DESC);
CREATE INDEX outbox_messages_user_idx ON outbox_messages (user_id, created_at DESC);

-- The delivery log: one row per attempt.
CREATE TABLE outbox_attempts (
    id         bigserial   PRIMARY KEY,
    message_id bigint      NOT NULL REFERENCES outbox_messages (id) ON DELETE CASCADE,
    at         timestamptz NOT NULL,
    ok         boolean     NOT NULL,
    detail     text        NOT NULL DEFAULT ''
);
CREATE INDEX outbox_attempts_message_idx ON outbox_attempts (message_id, at);

-- 消息接收设置: a row per user and channel that differs from the default
-- (receive, zh-CN, Asia/Shanghai).
CREATE TABLE message_settings (
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel    text        NOT NULL CHECK (channel IN ('email', 'sms', 'inbox')),
    enabled    boolean     NOT NULL,
    lang       text        NOT NULL CHECK (lang IN ('zh-CN', 'en-US')),
    time_zone  text        NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, channel)
);

-- +goose Down
DROP TABLE message_settings;
DROP TABLE outbox_attempts;
DROP TABLE outbox_messages;
