-- +goose Up
-- 收支明细 filtered by type (issue 10): the filter walked the partner's
-- cash entries newest first and looked up each one's transaction until
-- it had 10,001 of the kind (about 30,000 lookups when a third are of
-- it). Each entry now carries its transaction's kind, set by the
-- database when the entry is written (transactions never change: they
-- are append-only), with an index by account and kind in list order.
ALTER TABLE ledger_entries ADD COLUMN kind text;

-- +goose StatementBegin
CREATE FUNCTION ledger_entries_kind() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT kind INTO NEW.kind FROM ledger_transactions WHERE id = NEW.transaction_id;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER ledger_entries_kind BEFORE INSERT ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_kind();

-- The entries written so far (the append-only trigger is lifted for
-- this one statement, under a lock that keeps writers out meanwhile).
LOCK TABLE ledger_entries IN SHARE ROW EXCLUSIVE MODE;
ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only;
UPDATE ledger_entries e SET kind = t.kind FROM ledger_transactions t WHERE t.id = e.transaction_id;
ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_append_only;
ALTER TABLE ledger_entries ALTER COLUMN kind SET NOT NULL;
CREATE INDEX ledger_entries_account_kind_idx ON ledger_entries (account_id, kind, id DESC);

-- +goose Down
DROP INDEX ledger_entries_account_kind_idx;
DROP TRIGGER ledger_entries_kind ON ledger_entries;
DROP FUNCTION ledger_entries_kind();
ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only;
ALTER TABLE ledger_entries DROP COLUMN kind;
ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_append_only;
