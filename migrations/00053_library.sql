-- +goose Up
-- 支持 > 资料库 (seed 003 §14.1; build-plan 5.G; issue 14): documents the
-- vendor publishes for partners in a programme or a development path, by
-- category and directory, downloadable or view-only, taken down when out
-- of date. The file is the vendor's own row of files (partner_id NULL).
CREATE TABLE library_documents (
    id           bigserial   PRIMARY KEY,
    title        text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    -- comma-separated keywords (§14.1.3)
    keywords     text        NOT NULL DEFAULT '' CHECK (length(keywords) <= 200),
    -- 政策 权益 营销 产品 解决方案 其他 (§14.1.1)
    category     text        NOT NULL CHECK (category IN ('policy', 'benefit', 'marketing', 'product', 'solution', 'other')),
    -- a slash-separated directory path: 激励政策/2024
    directory    text        NOT NULL CHECK (length(directory) BETWEEN 1 AND 200),
    file_id      bigint      NOT NULL REFERENCES files (id),
    file_name    text        NOT NULL,
    content_type text        NOT NULL,
    size         bigint      NOT NULL,
    downloadable boolean     NOT NULL,
    -- the programme and path identities that see it; [] = every member
    audience     jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(audience) = 'array'),
    status       text        NOT NULL CHECK (status IN ('active', 'taken_down')),
    published_at timestamptz NOT NULL,
    created_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX library_documents_live_idx ON library_documents (published_at DESC) WHERE status = 'active';

-- +goose Down
DROP TABLE library_documents;
