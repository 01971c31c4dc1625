package customer

import "testing"

// consumption's check asks customer which ids are customers: a batch of
// any size in one query.
func TestExistingAnswersWhichIDsAreCustomers(t *testing.T) {
	f := setup(t)
	_, c := f.register(t, mobileOf(uniq()), nil)
	ids := []int64{c.ID, -1}
	for i := int64(1); i <= 70000; i++ { // beyond PostgreSQL's 65,535 parameters
		ids = append(ids, -1-i)
	}
	got, err := f.svc.Existing(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[c.ID] {
		t.Fatalf("existing = %v, want only %d", got, c.ID)
	}
}
