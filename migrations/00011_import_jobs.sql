-- +goose Up
-- Consumption imports run as background jobs: the upload is stored in
-- PostgreSQL (blobs: 1 MiB chunks, so app servers keep no files), the job
-- reads it back as a stream, and the import row carries the progress the
-- report page polls.
CREATE TABLE blobs (
    id         bigserial PRIMARY KEY,
    size       bigint      NOT NULL DEFAULT 0 CHECK (size >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE blob_chunks (
    blob_id bigint  NOT NULL REFERENCES blobs (id) ON DELETE CASCADE,
    seq     integer NOT NULL CHECK (seq >= 0),
    data    bytea   NOT NULL CHECK (length(data) BETWEEN 1 AND 1048576),
    PRIMARY KEY (blob_id, seq)
);

ALTER TABLE consumption_imports DROP CONSTRAINT consumption_imports_status_check;
ALTER TABLE consumption_imports ADD CONSTRAINT consumption_imports_status_check
    CHECK (status IN ('queued', 'running', 'done', 'failed'));
ALTER TABLE consumption_imports
    ADD COLUMN file_id   bigint REFERENCES blobs (id) ON DELETE SET NULL,
    ADD COLUMN file_size bigint NOT NULL DEFAULT 0 CHECK (file_size >= 0),
    ADD COLUMN progress  integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100);
UPDATE consumption_imports SET progress = 100 WHERE status IN ('done', 'failed');

-- +goose Down
ALTER TABLE consumption_imports DROP COLUMN progress, DROP COLUMN file_size, DROP COLUMN file_id;
ALTER TABLE consumption_imports DROP CONSTRAINT consumption_imports_status_check;
ALTER TABLE consumption_imports ADD CONSTRAINT consumption_imports_status_check CHECK (status IN ('running', 'done', 'failed'));
DROP TABLE blob_chunks;
DROP TABLE blobs;
