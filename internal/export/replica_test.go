package export

import (
	"context"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"partnercenter/internal/bill/billtest"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/dbtest"
)

// With a read pool (DATABASE_REPLICA_URL), a bill export reads its lines
// through it; the task row, the file and the message stay on the primary.
func TestBillExportReadsFromTheReplicaPool(t *testing.T) {
	g := dbtest.DB(t)
	read, err := db.OpenWith(context.Background(), dbtest.URL(), db.Options{MaxConns: 2, MaxIdleConns: 1, ApplicationName: "pc-export-replica"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if s, err := read.DB(); err == nil {
			s.Close()
		}
	}()
	var reads atomic.Int64
	count := func(*gorm.DB) { reads.Add(1) }
	if err := read.Callback().Query().After("gorm:query").Register("test:reads", count); err != nil {
		t.Fatal(err)
	}
	if err := read.Callback().Raw().After("gorm:raw").Register("test:raws", count); err != nil {
		t.Fatal(err)
	}
	if err := read.Callback().Row().After("gorm:row").Register("test:rows", count); err != nil {
		t.Fatal(err)
	}
	tn := billtest.NewTenant(t, g, 2)
	billtest.Generate(t, g, tn.ID, tn.Customers, "2024-05", 50)
	var id int64
	g.Raw(`INSERT INTO export_tasks (partner_id, user_id, kind, params) VALUES (?, ?, 'bill_detail_csv', '{"period":"2024-05","lang":"zh-CN"}') RETURNING id`,
		tn.ID, tn.UserID).Scan(&id)
	w := &Worker{DB: g, Read: read, Clock: clock.System{}}
	if err := w.Process(context.Background(), id, 1, true); err != nil {
		t.Fatal(err)
	}
	done, err := Service{DB: g}.Get(context.Background(), principal(tn), id)
	if err != nil || done.Status != StatusDone || done.RowsDone != 50 {
		t.Fatalf("%+v %v", done, err)
	}
	if reads.Load() == 0 {
		t.Fatal("the export read nothing through the replica pool")
	}
}
