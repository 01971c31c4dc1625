package web

import (
	"fmt"
	"net/url"
	"testing"

	"partnercenter/internal/demo"
)

func init() {
	// The cloud reseller is assigned to eco_manager2, so eco_manager
	// (responsible for sp and md only) gets 404 for it.
	crPartner := func(t *testing.T, env *testEnv, _ string) string { return fmt.Sprintf("/partners/%d", env.World.CR) }
	matrixRow("GET /partners", matrixCase{allow: vendorStaff})
	matrixRow("GET /partners/:id", matrixCase{target: crPartner, allow: []string{demo.VendorAdmin}, notFound: []string{demo.EcoManager}})
	matrixRow("POST /partners/:id/eco-manager", matrixCase{
		target:   func(t *testing.T, env *testEnv, acc string) string { return crPartner(t, env, acc) + "/eco-manager" },
		allow:    []string{demo.VendorAdmin},
		form:     url.Values{"eco_manager_id": {"0"}}, // refused as input: assigns nothing
		unscoped: "only the vendor administrator holds the item, and it sees every partner"})
}
