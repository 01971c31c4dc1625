-- +goose Up
-- One-time codes from an authenticator app (TOTP, RFC 6238) confirm money
-- operations for users who enrolled one (internal/identity/totp.go).
-- totp_last_step is the last 30-second step a code was accepted for: a
-- code is never accepted twice.
ALTER TABLE users
    ADD COLUMN totp_secret     text CHECK (totp_secret ~ '^[A-Z2-7]{32,}$'),
    ADD COLUMN totp_enabled_at timestamptz,
    ADD COLUMN totp_last_step  bigint,
    ADD CONSTRAINT users_totp_enabled CHECK ((totp_secret IS NULL) = (totp_enabled_at IS NULL));

-- +goose Down
ALTER TABLE users DROP CONSTRAINT users_totp_enabled,
    DROP COLUMN totp_last_step, DROP COLUMN totp_enabled_at, DROP COLUMN totp_secret;
