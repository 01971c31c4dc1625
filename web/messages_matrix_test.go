package web

import (
	"fmt"
	"testing"

	"partnercenter/internal/demo"
)

// The message center is open to every signed-in user; a message belongs
// to one user and is 404 to everyone else.
func init() {
	others := []string{}
	for _, a := range everyone {
		if a != demo.SPAdmin {
			others = append(others, a)
		}
	}
	mine := func(format string) func(*testing.T, *testEnv, string) string {
		return func(t *testing.T, env *testEnv, _ string) string {
			return fmt.Sprintf(format, sendTestMessage(t, env, demo.SPAdmin, ""))
		}
	}
	matrixRow("GET /messages", matrixCase{allow: everyone})
	matrixRow("GET /messages/:id", matrixCase{target: mine("/messages/%d"), allow: []string{demo.SPAdmin}, notFound: others})
	matrixRow("POST /messages/:id/read", matrixCase{target: mine("/messages/%d/read"), allow: []string{demo.SPAdmin}, notFound: others})
	// Marking all read would mark the demo accounts' messages: put them
	// back unread when the test ends.
	matrixRow("POST /messages/read-all", matrixCase{allow: everyone, target: func(t *testing.T, env *testEnv, account string) string {
		if uid := env.World.Users[account]; uid != 0 {
			var ids []int64
			env.DB.Raw(`SELECT id FROM messages WHERE user_id = ? AND read_at IS NULL`, uid).Scan(&ids)
			if len(ids) > 0 {
				t.Cleanup(func() { env.DB.Exec(`UPDATE messages SET read_at = NULL WHERE id IN ?`, ids) })
			}
		}
		return "/messages/read-all"
	}})
}
