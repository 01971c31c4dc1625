-- +goose Up
-- Vendor staff end an FH programme (invited or joined) with a reason; an
-- invitation ended before it was joined keeps no join time.
ALTER TABLE fh_programs
    ADD COLUMN ended_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN ended_at   timestamptz,
    ADD COLUMN end_reason text CHECK (length(end_reason) BETWEEN 1 AND 500);
-- Programmes ended before (a database migrated down and up again).
UPDATE fh_programs SET ended_at = COALESCE(joined_at, invited_at), end_reason = '-' WHERE status = 'ended';
ALTER TABLE fh_programs
    DROP CONSTRAINT fh_programs_check,
    ADD CONSTRAINT fh_programs_joined_check CHECK ((status = 'joined') <= (joined_at IS NOT NULL) AND (status = 'invited') <= (joined_at IS NULL)),
    ADD CONSTRAINT fh_programs_ended_check CHECK ((status = 'ended') = (ended_at IS NOT NULL AND end_reason IS NOT NULL));

-- +goose Down
UPDATE fh_programs SET joined_at = ended_at WHERE status = 'ended' AND joined_at IS NULL;
ALTER TABLE fh_programs
    DROP CONSTRAINT fh_programs_ended_check,
    DROP CONSTRAINT fh_programs_joined_check,
    DROP COLUMN end_reason,
    DROP COLUMN ended_at,
    DROP COLUMN ended_by,
    ADD CONSTRAINT fh_programs_check CHECK ((status = 'invited') = (joined_at IS NULL));
