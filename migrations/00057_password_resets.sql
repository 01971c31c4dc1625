-- +goose Up
-- 忘记密码 (seed 003 §7.1.7; issue 15): a 6-digit code sent by e-mail and
-- SMS through the outbox, valid 15 minutes, 5 tries, used once. Only its
-- hash is kept; the link's token names the request.
CREATE TABLE password_resets (
    id         bigserial   PRIMARY KEY,
    token      text        NOT NULL UNIQUE,
    user_id    bigint      REFERENCES users (id) ON DELETE CASCADE,
    code_hash  bytea       NOT NULL,
    attempts   int         NOT NULL DEFAULT 0,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id, created_at DESC);

-- +goose Down
DROP TABLE password_resets;
