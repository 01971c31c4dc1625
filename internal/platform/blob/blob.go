// Package blob stores files in PostgreSQL as 1 MiB chunks (tables blobs
// and blob_chunks), written and read as streams: a 130 MB upload never
// sits in memory, and app servers keep no files of their own (DESIGN.md,
// "Scale beyond one machine"). Background jobs read what a request stored.
package blob

import (
	"context"
	"database/sql"
	"errors"
	"io"

	"gorm.io/gorm"
)

// ChunkSize is the size of a stored chunk (the last one may be smaller).
const ChunkSize = 1 << 20

// Store writes the whole of r as a new blob with g (a database or the
// caller's transaction) and returns its id and size.
func Store(ctx context.Context, g *gorm.DB, r io.Reader) (id, size int64, err error) {
	g = g.WithContext(ctx)
	if err := g.Raw(`INSERT INTO blobs DEFAULT VALUES RETURNING id`).Scan(&id).Error; err != nil {
		return 0, 0, err
	}
	buf := make([]byte, ChunkSize)
	for seq := 0; ; seq++ {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			if err := g.Exec(`INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?, ?, ?)`, id, seq, buf[:n]).Error; err != nil {
				return 0, 0, err
			}
			size += int64(n)
		}
		if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
			break
		}
		if rerr != nil {
			return 0, 0, rerr
		}
	}
	return id, size, g.Exec(`UPDATE blobs SET size = ? WHERE id = ?`, size, id).Error
}

// Open reads a blob back, one chunk query at a time.
func Open(ctx context.Context, g *gorm.DB, id int64) io.Reader {
	return &reader{ctx: ctx, g: g.WithContext(ctx), id: id}
}

type reader struct {
	ctx  context.Context
	g    *gorm.DB
	id   int64
	seq  int
	cur  []byte
	done bool
}

func (r *reader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if r.done {
			return 0, io.EOF
		}
		var data []byte
		err := r.g.Raw(`SELECT data FROM blob_chunks WHERE blob_id = ? AND seq = ?`, r.id, r.seq).Row().Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			r.done = true
			continue
		}
		if err != nil {
			return 0, err
		}
		r.seq++
		r.cur = data
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// Delete removes a blob and its chunks.
func Delete(ctx context.Context, g *gorm.DB, id int64) error {
	return g.WithContext(ctx).Exec(`DELETE FROM blobs WHERE id = ?`, id).Error
}
