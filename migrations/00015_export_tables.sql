-- +goose Up
-- List downloads (客户管理 导出, 资金明细 导出当前记录, 操作日志 导出) go through
-- the export pipeline too: beyond a few thousand rows they become export
-- tasks like the bill's (internal/export, Service.Start).
ALTER TABLE export_tasks DROP CONSTRAINT export_tasks_kind_check;
ALTER TABLE export_tasks ADD CONSTRAINT export_tasks_kind_check
    CHECK (kind IN ('bill_pdf', 'bill_detail_xlsx', 'bill_detail_csv', 'customers_xlsx', 'funds_lines_csv', 'audit_csv'));

-- +goose Down
DELETE FROM export_tasks WHERE kind IN ('customers_xlsx', 'funds_lines_csv', 'audit_csv');
ALTER TABLE export_tasks DROP CONSTRAINT export_tasks_kind_check;
ALTER TABLE export_tasks ADD CONSTRAINT export_tasks_kind_check
    CHECK (kind IN ('bill_pdf', 'bill_detail_xlsx', 'bill_detail_csv'));
