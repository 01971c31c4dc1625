-- +goose Up
-- TOTP seeds are sealed with AES-256-GCM (internal/platform/secretbox,
-- issue 17): v1:<key id>:<base64>. A seed stored before sealing is
-- resealed by `partnercenter secrets reseal`.
ALTER TABLE users
    DROP CONSTRAINT users_totp_secret_check,
    ADD CONSTRAINT users_totp_secret_check CHECK (totp_secret ~ '^([A-Z2-7]{32,}|v1:[a-z0-9]{1,16}:[A-Za-z0-9+/=]+)$');

-- +goose Down
-- Sealed seeds cannot be read back here: their users enrol again.
UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE totp_secret LIKE 'v1:%';
ALTER TABLE users
    DROP CONSTRAINT users_totp_secret_check,
    ADD CONSTRAINT users_totp_secret_check CHECK (totp_secret ~ '^[A-Z2-7]{32,}$');
