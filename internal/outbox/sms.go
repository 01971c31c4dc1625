package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// SMSGateway is an SMS sender through a provider's HTTP gateway
// (SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN): it posts {"id", "to", "text"} as
// JSON with a bearer token; any 2xx is sent. Providers differ; one of
// their adapters sits behind such a URL.
type SMSGateway struct {
	URL    string
	Token  string
	Client *http.Client
}

// Send posts one SMS.
func (g SMSGateway) Send(ctx context.Context, e Envelope) error {
	body, err := json.Marshal(map[string]any{"id": e.ID, "to": e.To, "text": e.Body})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if g.Token != "" {
		req.Header.Set("Authorization", "Bearer "+g.Token)
	}
	c := g.Client
	if c == nil {
		c = &http.Client{Timeout: 15 * time.Second}
	}
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 300))
		return fmt.Errorf("sms gateway: %s %s", res.Status, bytes.TrimSpace(b))
	}
	return nil
}
