package web

import "net/url"

// Registration is public (a signed-in user is sent home). The onboarding
// form belongs to the main account of a tenant not yet active: every
// demo account of the matrix is refused (their tenants are active or
// they are vendor staff); TestRegisterOnboardApprove... covers the
// allowed path with a freshly registered company.
func init() {
	matrixRow("GET /register", matrixCase{public: true})
	matrixRow("POST /register", matrixCase{public: true, form: url.Values{}}) // empty form: refused as input, creates nothing
	matrixRow("GET /onboarding", matrixCase{})
	matrixRow("POST /onboarding", matrixCase{form: url.Values{}})
}
