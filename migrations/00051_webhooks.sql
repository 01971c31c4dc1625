-- +goose Up
-- Webhooks (build-plan 5.F; issue 14, beyond the original): a partner's
-- main account registers HTTPS endpoints with a secret and the event types
-- they receive; each event of the partner (table events) becomes an
-- outbound message of channel 'webhook' to every subscribed endpoint,
-- delivered, retried and logged by the outbox like e-mail and SMS.
CREATE TABLE webhook_endpoints (
    id              bigserial   PRIMARY KEY,
    partner_id      bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    url             text        NOT NULL CHECK (url ~ '^https://' AND length(url) <= 500),
    description     text        NOT NULL DEFAULT '' CHECK (length(description) <= 100),
    -- the HMAC-SHA256 key of the X-PC-Signature header
    secret          text        NOT NULL CHECK (length(secret) >= 32),
    -- a JSON array of event type names
    event_types     jsonb       NOT NULL CHECK (jsonb_typeof(event_types) = 'array' AND jsonb_array_length(event_types) >= 1),
    status          text        NOT NULL CHECK (status IN ('active', 'disabled')),
    disabled_reason text        NOT NULL DEFAULT '' CHECK (disabled_reason IN ('', 'manual', 'failing')),
    -- the first failed delivery since the last success: failing for 3 days disables
    failing_since   timestamptz,
    -- events up to this id happened before the endpoint existed
    from_event_id   bigint      NOT NULL,
    created_by      bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CHECK ((status = 'disabled') = (disabled_reason <> ''))
);
CREATE INDEX webhook_endpoints_partner_idx ON webhook_endpoints (partner_id) WHERE status = 'active';

-- How far the fan-out has read events.
CREATE TABLE webhook_cursor (
    id            int    PRIMARY KEY CHECK (id = 1),
    last_event_id bigint NOT NULL
);
INSERT INTO webhook_cursor (id, last_event_id) SELECT 1, coalesce(max(id), 0) FROM events;

ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_channel_check;
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_channel_check CHECK (channel IN ('email', 'sms', 'webhook'));
ALTER TABLE outbox_messages ADD COLUMN endpoint_id bigint REFERENCES webhook_endpoints (id) ON DELETE CASCADE;
ALTER TABLE outbox_messages ADD COLUMN event_id bigint REFERENCES events (id) ON DELETE SET NULL;
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_webhook_check CHECK ((channel = 'webhook') = (endpoint_id IS NOT NULL));
-- an event reaches an endpoint once, however often the fan-out runs
CREATE UNIQUE INDEX outbox_messages_endpoint_event_key ON outbox_messages (endpoint_id, event_id) WHERE event_id IS NOT NULL;
CREATE INDEX outbox_messages_endpoint_idx ON outbox_messages (endpoint_id, created_at DESC) WHERE endpoint_id IS NOT NULL;

-- +goose Down
DROP INDEX outbox_messages_endpoint_idx;
DROP INDEX outbox_messages_endpoint_event_key;
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_webhook_check;
ALTER TABLE outbox_messages DROP COLUMN event_id;
ALTER TABLE outbox_messages DROP COLUMN endpoint_id;
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_channel_check;
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_channel_check CHECK (channel IN ('email', 'sms'));
DROP TABLE webhook_cursor;
DROP TABLE webhook_endpoints;
