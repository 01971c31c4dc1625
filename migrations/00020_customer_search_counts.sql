-- +goose Up
-- The customer list at scale (issue 10).
--
-- 1. One search column: name, account name and mobile, lower-cased, with
--    one trigram index — a search is one index scan instead of an OR of
--    three (pg_trgm indexes CJK characters: the database's ctype is
--    C.UTF-8, whose character classes cover them; a test checks the plan
--    for a Chinese name).
ALTER TABLE customers ADD COLUMN search text GENERATED ALWAYS AS
    (lower(name || ' ' || account_name || ' ' || coalesce(mobile, ''))) STORED;
CREATE INDEX customers_search_trgm ON customers USING gin (search gin_trgm_ops);

-- 2. Association counts per partner, status, mode and manager (0: none),
--    kept by statement-level triggers (one upsert per group, however many
--    rows a statement touches), so a list's total without a search or a
--    date filter is a sum over a few rows instead of a count over up to
--    200,000 (customer.Service.List; `partnercenter check ledger` compares them).
CREATE TABLE association_counts (
    partner_id      bigint NOT NULL,
    status          text   NOT NULL,
    mode            text   NOT NULL,
    manager_user_id bigint NOT NULL DEFAULT 0,
    n               bigint NOT NULL,
    PRIMARY KEY (partner_id, status, mode, manager_user_id)
);
-- No association changes between the copy and the triggers (the migration
-- is one transaction: the lock holds until the triggers exist).
LOCK TABLE associations IN SHARE ROW EXCLUSIVE MODE;
INSERT INTO association_counts (partner_id, status, mode, manager_user_id, n)
SELECT partner_id, status, mode, coalesce(manager_user_id, 0), count(*) FROM associations GROUP BY 1, 2, 3, 4;


-- +goose StatementBegin
CREATE FUNCTION association_counts_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO association_counts AS ac (partner_id, status, mode, manager_user_id, n)
    SELECT partner_id, status, mode, coalesce(manager_user_id, 0), count(*) FROM new_rows GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (partner_id, status, mode, manager_user_id) DO UPDATE SET n = ac.n + excluded.n;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION association_counts_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO association_counts AS ac (partner_id, status, mode, manager_user_id, n)
    SELECT partner_id, status, mode, coalesce(manager_user_id, 0), -count(*) FROM old_rows GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (partner_id, status, mode, manager_user_id) DO UPDATE SET n = ac.n + excluded.n;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION association_counts_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO association_counts AS ac (partner_id, status, mode, manager_user_id, n)
    SELECT partner_id, status, mode, manager_user_id, sum(d) FROM (
        SELECT partner_id, status, mode, coalesce(manager_user_id, 0) AS manager_user_id, -1 AS d FROM old_rows
        UNION ALL
        SELECT partner_id, status, mode, coalesce(manager_user_id, 0), 1 FROM new_rows) x
    GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (partner_id, status, mode, manager_user_id) DO UPDATE SET n = ac.n + excluded.n;
    RETURN NULL;
END $$;
-- +goose StatementEnd

CREATE TRIGGER association_counts_ins AFTER INSERT ON associations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION association_counts_ins();
CREATE TRIGGER association_counts_del AFTER DELETE ON associations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION association_counts_del();
CREATE TRIGGER association_counts_upd AFTER UPDATE ON associations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION association_counts_upd();

-- +goose Down
DROP TRIGGER association_counts_upd ON associations;
DROP TRIGGER association_counts_del ON associations;
DROP TRIGGER association_counts_ins ON associations;
DROP FUNCTION association_counts_upd();
DROP FUNCTION association_counts_del();
DROP FUNCTION association_counts_ins();
DROP TABLE association_counts;
DROP INDEX customers_search_trgm;
ALTER TABLE customers DROP COLUMN search;
