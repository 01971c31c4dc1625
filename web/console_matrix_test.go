package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"partnercenter/internal/access"
	"partnercenter/internal/customer"
	"partnercenter/internal/demo"
)

// The customer console: registration and the invitation landing are
// public; every other console route needs access.ConsoleUse, which only
// customer accounts hold (partners and vendor staff get 没有访问权限).
// A request of the console belongs to one customer and is 404 to another.
//
// Allowed POSTs do no harm: an accept without the agreement ticked or on
// a link whose mobile does not match is refused as input; consenting to,
// declining or withdrawing the customer's own association record is a
// conflict; an unbinding whose reason is too long is refused as input.

var consoleCustomers = customers

var (
	consoleMatrixOnce sync.Once
	consoleMatrixInv  string
	consoleMatrixReq  int64
)

// consoleMatrixTargets makes (once) an offline invitation of 示例云科技 for
// a prospect nobody registered, and finds cust_zhang's association record.
func consoleMatrixTargets(t *testing.T, env *testEnv) {
	consoleMatrixOnce.Do(func() {
		inv := consoleInvite(t, env, demo.SPAdmin, customer.ChannelOffline, customer.ModeConsulting, consoleMobile(), nil)
		consoleMatrixInv = inv.Token
		mp, err := consoleSvc(env, nil).MyPartners(context.Background(), access.CustomerUser(env.World.Users[demo.CustZhang]))
		if err != nil {
			t.Fatalf("cust_zhang's partners: %v", err)
		}
		for _, r := range mp.Log {
			if r.Type == customer.RequestAssociate {
				consoleMatrixReq = r.ID
			}
		}
		if consoleMatrixReq == 0 {
			t.Fatal("cust_zhang has no association record in the demo")
		}
	})
}

func consoleInviteTarget(suffix string) func(*testing.T, *testEnv, string) string {
	return func(t *testing.T, env *testEnv, _ string) string {
		consoleMatrixTargets(t, env)
		return customer.InvitePathPrefix + consoleMatrixInv + suffix
	}
}

func consoleRequestTarget(suffix string) func(*testing.T, *testEnv, string) string {
	return func(t *testing.T, env *testEnv, _ string) string {
		consoleMatrixTargets(t, env)
		return fmt.Sprintf("/console/requests/%d%s", consoleMatrixReq, suffix)
	}
}

func init() {
	const capability = "the token is the capability: whoever holds the link may open it (and only a customer may accept)"
	zhang := []string{demo.CustZhang}
	other := []string{demo.CustNew}
	matrixRow("GET /console/login", matrixCase{public: true})
	matrixRow("POST /console/login", matrixCase{public: true, form: url.Values{}}) // empty form: refused as input, nobody signed in or out
	matrixRow("GET /console/register", matrixCase{public: true})
	matrixRow("POST /console/register", matrixCase{public: true, form: url.Values{}}) // empty form: refused as input
	matrixRow("GET /invite/:token", matrixCase{public: true, target: consoleInviteTarget(""), unscoped: capability})
	matrixRow("POST /invite/:token/accept", matrixCase{allow: consoleCustomers, target: consoleInviteTarget("/accept"), unscoped: capability})
	matrixRow("GET /console", matrixCase{allow: consoleCustomers})
	matrixRow("GET /console/partners", matrixCase{allow: consoleCustomers})
	matrixRow("GET /console/unbind", matrixCase{allow: consoleCustomers})
	matrixRow("POST /console/unbind", matrixCase{allow: consoleCustomers,
		form: url.Values{"reason": {strings.Repeat("长", customer.MaxReasonLen+1)}}})
	matrixRow("GET /console/requests/:id", matrixCase{allow: zhang, notFound: other, target: consoleRequestTarget("")})
	matrixRow("POST /console/requests/:id/accept", matrixCase{allow: zhang, notFound: other, target: consoleRequestTarget("/accept")})
	matrixRow("POST /console/requests/:id/decline", matrixCase{allow: zhang, notFound: other, target: consoleRequestTarget("/decline")})
	matrixRow("POST /console/requests/:id/cancel", matrixCase{allow: zhang, notFound: other, target: consoleRequestTarget("/cancel")})
}
