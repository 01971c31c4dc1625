-- +goose Up
-- R25 (seed 003 §12.1.4.22): "发票抬头长度不能超过100个字节（50个汉字）" counts
-- bytes as the tax system does — GBK, 2 per Chinese character, 1 per ASCII
-- character — not UTF-8's 3, and allows 100 ASCII characters.
ALTER TABLE invoice_infos DROP CONSTRAINT invoice_infos_title_check;
ALTER TABLE invoice_infos ADD CONSTRAINT invoice_infos_title_check
    CHECK (char_length(title) >= 1 AND octet_length(convert_to(title, 'GB18030')) <= 100);
ALTER TABLE invoices DROP CONSTRAINT invoices_title_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_title_check
    CHECK (char_length(title) >= 1 AND octet_length(convert_to(title, 'GB18030')) <= 100);

-- +goose Down
ALTER TABLE invoices DROP CONSTRAINT invoices_title_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_title_check
    CHECK (char_length(title) BETWEEN 1 AND 50 AND octet_length(title) <= 100);
ALTER TABLE invoice_infos DROP CONSTRAINT invoice_infos_title_check;
ALTER TABLE invoice_infos ADD CONSTRAINT invoice_infos_title_check
    CHECK (char_length(title) BETWEEN 1 AND 50 AND octet_length(title) <= 100);
