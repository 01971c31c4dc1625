package jobs

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// connTx presents a pgx connection that database/sql has already put in a
// transaction as a pgx.Tx, so River inserts into that transaction. It
// cannot commit or roll back (database/sql does); nested transactions are
// savepoints.
type connTx struct{ c *pgx.Conn }

var savepointSeq atomic.Int64

func (t connTx) Begin(ctx context.Context) (pgx.Tx, error) {
	name := fmt.Sprintf("jobs_sp_%d", savepointSeq.Add(1))
	if _, err := t.c.Exec(ctx, "SAVEPOINT "+name); err != nil {
		return nil, err
	}
	return &savepoint{connTx: t, name: name}, nil
}

func (t connTx) Commit(context.Context) error   { return ErrNoTx }
func (t connTx) Rollback(context.Context) error { return ErrNoTx }

func (t connTx) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	return t.c.CopyFrom(ctx, table, cols, src)
}

func (t connTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return t.c.SendBatch(ctx, b)
}
func (t connTx) LargeObjects() pgx.LargeObjects { return pgx.LargeObjects{} }

func (t connTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	return t.c.Prepare(ctx, name, sql)
}

func (t connTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return t.c.Exec(ctx, sql, args...)
}

func (t connTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return t.c.Query(ctx, sql, args...)
}

func (t connTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return t.c.QueryRow(ctx, sql, args...)
}

func (t connTx) Conn() *pgx.Conn { return t.c }

// savepoint is a nested transaction inside connTx.
type savepoint struct {
	connTx
	name string
	done bool
}

func (s *savepoint) Commit(ctx context.Context) error {
	if s.done {
		return pgx.ErrTxClosed
	}
	s.done = true
	_, err := s.c.Exec(ctx, "RELEASE SAVEPOINT "+s.name)
	return err
}

func (s *savepoint) Rollback(ctx context.Context) error {
	if s.done {
		return pgx.ErrTxClosed
	}
	s.done = true
	_, err := s.c.Exec(ctx, "ROLLBACK TO SAVEPOINT "+s.name)
	return err
}
