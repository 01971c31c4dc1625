package consumption

import (
	"bytes"
	"fmt"
	"partnercenter/internal/customer"
	"testing"
	"time"
)

// BenchmarkParse measures reading and validating lines without the
// database (the importer's Go side).
func BenchmarkParse(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(head)
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&buf, "B%d,bench_imp_%d,消费,2026-10,2026-10-05 10:11:12,,弹性公网IP EIP,,eip,eip-%d,cn-north-4,按需,0.%08d,,,,,,\n", i, i%10000, i, (i*7919)%100000000)
	}
	data := buf.Bytes()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		src, pos, err := open("x.csv", bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		st := &stager{src: src, pos: pos, line: 1}
		rows := 0
		a := &customer.Span{PartnerID: 1, Mode: "consulting"}
		for st.Next() {
			// What the import hands COPY for a line.
			if row := recordRow(st.cur, 1, a, "software", 1, time.Time{}); len(row) != len(recordColumns) {
				b.Fatal(len(row))
			}
			rows++
		}
		if rows != 100000 {
			b.Fatalf("%d rows, rejects %v", rows, st.rejects[:1])
		}
	}
	b.ReportMetric(float64(100000*b.N)/b.Elapsed().Seconds(), "lines/s")
}
