package blob

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"testing"

	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// A blob reads back byte for byte, across chunk boundaries and for the
// empty file, and is gone after Delete.
func TestStoreOpenDelete(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	for _, size := range []int{0, 1, ChunkSize - 1, ChunkSize, 2*ChunkSize + 17} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(rand.IntN(256))
		}
		id, n, err := Store(ctx, g, bytes.NewReader(data))
		if err != nil || n != int64(size) {
			t.Fatalf("store %d: %d %v", size, n, err)
		}
		got, err := io.ReadAll(Open(ctx, g, id))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read back %d bytes: got %d, %v", size, len(got), err)
		}
		if err := Delete(ctx, g, id); err != nil {
			t.Fatal(err)
		}
		var chunks int64
		g.Raw(`SELECT count(*) FROM blob_chunks WHERE blob_id = ?`, id).Scan(&chunks)
		if chunks != 0 {
			t.Fatalf("%d chunks left", chunks)
		}
	}
}

// Copy streams a blob written through a Writer with small chunks.
func TestWriterAndCopy(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	w, err := Create(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	w.ChunkSize = 7
	want := bytes.Repeat([]byte("伙伴中心 export\n"), 100)
	for i := 0; i < len(want); i += 13 {
		if _, err := w.Write(want[i:min(i+13, len(want))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := Copy(ctx, g, w.ID, &got); err != nil || !bytes.Equal(got.Bytes(), want) || w.Size != int64(len(want)) {
		t.Fatalf("copy: %d bytes (size %d), %v", got.Len(), w.Size, err)
	}
}
