// Package blob stores files in PostgreSQL as 1 MiB chunks (tables blobs
// and blob_chunks), written and read as streams: a 130 MB upload never
// sits in memory, and app servers keep no files of their own, so several
// servers can share one database. Background jobs read what a request
// stored.
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

// Writer stores what is written to it as a new blob, one chunk at a
// time; Close stores the last chunk and the size.
type Writer struct {
	// ID is the blob's id (it exists from Create on).
	ID int64
	// Size is the number of bytes stored so far.
	Size int64
	// ChunkSize may be lowered before the first Write (tests).
	ChunkSize int
	ctx       context.Context
	g         *gorm.DB
	seq       int
	buf       []byte
}

// Create starts a new blob with g (a database or the caller's
// transaction).
func Create(ctx context.Context, g *gorm.DB) (*Writer, error) {
	w := &Writer{ChunkSize: ChunkSize, ctx: ctx, g: g.WithContext(ctx)}
	if err := w.g.Raw(`INSERT INTO blobs DEFAULT VALUES RETURNING id`).Scan(&w.ID).Error; err != nil {
		return nil, err
	}
	return w, nil
}

// Write buffers p and stores every full chunk.
func (w *Writer) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		take := min(w.ChunkSize-len(w.buf), len(p))
		w.buf = append(w.buf, p[:take]...)
		p = p[take:]
		if len(w.buf) == w.ChunkSize {
			if err := w.flush(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

func (w *Writer) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	if err := w.g.Exec(`INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?, ?, ?)`, w.ID, w.seq, w.buf).Error; err != nil {
		return err
	}
	w.seq++
	w.Size += int64(len(w.buf))
	w.buf = w.buf[:0]
	return nil
}

// Close stores what is buffered and records the size.
func (w *Writer) Close() error {
	if err := w.flush(); err != nil {
		return err
	}
	return w.g.Exec(`UPDATE blobs SET size = ? WHERE id = ?`, w.Size, w.ID).Error
}

// Store writes the whole of r as a new blob and returns its id and size.
func Store(ctx context.Context, g *gorm.DB, r io.Reader) (id, size int64, err error) {
	w, err := Create(ctx, g)
	if err != nil {
		return 0, 0, err
	}
	if _, err := io.Copy(w, r); err != nil {
		return 0, 0, err
	}
	if err := w.Close(); err != nil {
		return 0, 0, err
	}
	return w.ID, w.Size, nil
}

// Copy writes a blob to dst in one streamed query (chunk by chunk, never
// the whole blob in memory).
func Copy(ctx context.Context, g *gorm.DB, id int64, dst io.Writer) error {
	rows, err := g.WithContext(ctx).Raw(`SELECT data FROM blob_chunks WHERE blob_id = ? ORDER BY seq`, id).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var buf []byte
	for rows.Next() {
		if err := rows.Scan(&buf); err != nil {
			return err
		}
		if _, err := dst.Write(buf); err != nil {
			return err
		}
	}
	return rows.Err()
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
