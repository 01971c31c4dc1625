package library

import (
	"context"
	"testing"
	"time"

	"partnercenter/internal/access"
	"partnercenter/internal/files"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var pdfBytes = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

func reader(identities ...string) *access.Principal {
	p := access.Member(1, 1, true)
	p.Identities = identities
	return p
}

// Only the vendor administrator publishes, with a file, a category and a
// directory; partners see the documents of their programmes and paths
// (empty audience: everyone in one), never taken-down ones, and download
// only downloadable ones; a partner in none is refused with the seed's
// condition.
func TestLibraryRules(t *testing.T) {
	g := dbtest.DB(t)
	ctx := context.Background()
	s := Service{DB: g, Clock: clock.NewFixed(time.Date(2029, 1, 5, 2, 0, 0, 0, time.UTC))}
	aid, _ := dbtest.User(t, g, 0, "vendor_admin", false)
	admin := access.VendorStaff(aid, "vendor_admin")
	eid, _ := dbtest.User(t, g, 0, "eco_manager", false)
	in := Input{Title: "FTR基础技术审核模板", Keywords: "FTR，认证", Category: "solution", Directory: " 发展路径 / 软件伙伴 ",
		Downloadable: true, Audience: []string{access.IdentitySoftware, "nonsense"}}
	up := files.Upload{Name: "ftr.pdf", Data: pdfBytes}
	if _, err := s.Publish(ctx, access.VendorStaff(eid, "eco_manager"), in, up); !apperr.Is(err, apperr.KindForbidden) {
		t.Fatalf("an ecosystem manager published: %v", err)
	}
	if _, err := s.Publish(ctx, admin, Input{Title: "x", Category: "nope"}, files.Upload{}); err == nil {
		t.Fatal("no file, no category, no directory were accepted")
	} else if ae, _ := apperr.As(err); ae.Fields["file"] == "" || ae.Fields["category"] == "" || ae.Fields["directory"] == "" {
		t.Fatalf("the messages: %+v", ae.Fields)
	}
	ftr, err := s.Publish(ctx, admin, in, up)
	if err != nil || ftr.Directory != "发展路径/软件伙伴" || ftr.Keywords != "FTR,认证" || len(ftr.Audience) != 1 {
		t.Fatalf("%+v %v", ftr, err)
	}
	open, _ := s.Publish(ctx, admin, Input{Title: "交付能力规则", Category: "benefit", Directory: "发展路径", Downloadable: false}, up)
	gone, _ := s.Publish(ctx, admin, Input{Title: "旧政策", Category: "policy", Directory: "激励政策", Downloadable: true}, up)
	if err := s.SetStatus(ctx, admin, gone.ID, StatusTakenDown); err != nil {
		t.Fatal(err)
	}

	if _, _, _, err := s.List(ctx, reader(), Filter{}); !isKey(err, ErrNoAccess) {
		t.Fatalf("a partner in no programme: %v", err)
	}
	docs, total, dirs, err := s.List(ctx, reader(access.IdentitySolutionProvider), Filter{})
	if err != nil || total != 1 || docs[0].ID != open.ID || len(dirs) != 1 {
		t.Fatalf("a solution provider sees %d (%v) %v", total, dirs, err)
	}
	if _, total, _, _ := s.List(ctx, reader(access.IdentitySoftware), Filter{Directory: "发展路径"}); total != 2 {
		t.Fatalf("a software partner under 发展路径 sees %d", total)
	}
	if _, total, _, _ := s.List(ctx, reader(access.IdentitySoftware), Filter{Keyword: "认证"}); total != 1 {
		t.Fatalf("the keyword search found %d", total)
	}
	if _, err := s.Get(ctx, reader(access.IdentitySolutionProvider), ftr.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("another audience's document: %v", err)
	}
	if _, err := s.Get(ctx, reader(access.IdentitySoftware), gone.ID); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("a taken-down document: %v", err)
	}
	if _, _, err := s.File(ctx, reader(access.IdentitySoftware), open.ID, true); !apperr.Is(err, apperr.KindNotFound) {
		t.Fatalf("downloading a view-only document: %v", err)
	}
	if _, f, err := s.File(ctx, reader(access.IdentitySoftware), open.ID, false); err != nil || f.ContentType != files.PDF {
		t.Fatalf("viewing it: %v", err)
	}
}

func isKey(err error, key string) bool {
	ae, ok := apperr.As(err)
	return ok && ae.MessageKey() == key
}
