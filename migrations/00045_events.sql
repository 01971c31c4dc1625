-- +goose Up
-- Webhook-ready events (build-plan 5.F; issue 13): each change a partner
-- cares about writes its event in its own transaction, so an event exists
-- exactly when the change does. Delivery to the partner's endpoints
-- (signatures, retries, the delivery log) reads this table later.
CREATE TABLE events (
    id          bigserial   PRIMARY KEY,
    partner_id  bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    -- dotted lower-case names: incentive.bill.status, incentive.application.status, ...
    type        text        NOT NULL CHECK (type ~ '^[a-z_]+(\.[a-z_]+)+$'),
    data        jsonb       NOT NULL,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX events_partner_idx ON events (partner_id, id);

-- +goose Down
DROP TABLE events;
