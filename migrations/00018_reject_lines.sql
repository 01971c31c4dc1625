-- +goose Up
-- The cells of each rejected import line, in the template's column order,
-- so vendor finance downloads the rejected lines as they were (same
-- columns plus the reasons), fixes them and imports that file again.
-- Lines refused by validation keep the cells read from the file; lines
-- refused after staging (unknown customer, no partner, duplicate) keep
-- their staged, normalised values.
CREATE TABLE consumption_import_reject_lines (
    import_id bigint  NOT NULL REFERENCES consumption_imports (id) ON DELETE CASCADE,
    line_no   integer NOT NULL CHECK (line_no >= 1),
    cells     jsonb   NOT NULL CHECK (jsonb_typeof(cells) = 'array'),
    PRIMARY KEY (import_id, line_no)
);

-- +goose Down
DROP TABLE consumption_import_reject_lines;
