-- +goose Up
-- 抹零 (seed 003 §12.1.9.14) has one definition, money.ChargeToFen in Go:
-- the line validator stages each line's charged amount and the import's
-- SQL uses it instead of truncating the payable again.
TRUNCATE consumption_import_stage;
ALTER TABLE consumption_import_stage ADD COLUMN charged_fen text NOT NULL;

-- +goose Down
ALTER TABLE consumption_import_stage DROP COLUMN charged_fen;
