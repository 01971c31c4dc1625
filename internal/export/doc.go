// Package export is 导出任务 (seed 003 §12.1.9.9; digest §3.24, §4.14): a
// partner exports its bill of a period — 导出账单(pdf), 导出账单明细(xlsx)
// or the same details as csv — and downloads the file from 导出记录 once
// the task is 已完成.
//
// # Flow
//
// Create inserts the export_tasks row, its audit row and a River job in
// ONE transaction (jobs.WithTx): there is never a task without a job nor
// a job without a task. The worker (Worker, kind "export_bill") then:
//
//  1. claims the task: queued|running → running, counting the attempt; a
//     task already done or failed is left alone (a job worked twice after
//     a crash does nothing);
//  2. deletes the file an earlier attempt may have written, so a retry
//     never doubles a file, and starts a new one linked to the task;
//  3. reads the period in one REPEATABLE READ, READ ONLY transaction — the
//     count first (rows_total), then every row with rows.Next — and writes
//     each row straight into the xlsx worksheet (xlsx.go) or encoding/csv;
//     every 2,000 rows it records rows_done and progress through another
//     connection, which the page polls;
//  4. stores the file and marks the task done (progress 100) in one
//     transaction.
//
// An error is retried by River (3 attempts); the task shows the last error
// while it waits, and 失败 with the message after the last attempt.
//
// # Memory
//
// No step holds a period: rows are scanned one at a time into one reused
// struct; rows go to the one table sink (internal/platform/sheet: the
// xlsx worksheet streamed into an archive/zip writer, or csv with the
// CSV-injection guard); the output goes through a blob.Writer that stores 1 MiB chunks as it
// fills them. Peak heap stays near 20 MB whatever the period's size (figures in
// docs/PERFORMANCE.md, "Partner bill and exports").
//
// # Storage choice
//
// Files live in PostgreSQL's blob store (internal/platform/blob: bytea
// chunks of ≤ 1 MiB, shared with the consumption uploads), not in
// internal/files (a 10 MB cap for uploads, one row per file) and not on
// local disk: app servers stay stateless, so any instance can serve a
// download whatever instance worked the job, and backups hold everything.
// A download streams the chunks in order (blob.Copy). At 100× volume the
// blobs would move to object storage behind the same interface.
//
// # PDF
//
// The bill PDF (导出账单(pdf)) is the period's overview and its 消费 /
// 退款 / 调账 lines aggregated by product type, resource type and billing
// mode, drawn with internal/platform/pdf (fonts embedded as subsets). The
// lines are a table: product and resource types wrap in their columns,
// amounts shrink (then wrap) in theirs, so large amounts never run into
// the next column, and the header repeats after a page break. It is small
// whatever the number of rows (aggregates), so it is built in memory.
package export
