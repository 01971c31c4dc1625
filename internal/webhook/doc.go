// Package webhook pushes a partner's events to its systems (build-plan
// 5.F; issue 14; beyond the original). It owns webhook_endpoints and
// webhook_cursor.
//
// Rules it holds:
//   - the partner's main account registers HTTPS endpoints with the event
//     types they receive (Types); each gets a random secret. An endpoint
//     receives the events that happen after it was registered.
//   - the fan-out (a River job every 10 s) reads table events in order
//     and queues one delivery per subscribed active endpoint through
//     package outbox (channel webhook): the same leases, retries (10
//     attempts at growing intervals) and delivery log as e-mail and SMS.
//     An event reaches an endpoint once (a unique index).
//   - a delivery is a POST of {"id","type","occurred_at","partner_id",
//     "data"} signed with X-PC-Signature: sha256=HMAC-SHA256(secret, body);
//     any 2xx is delivered. Redirects are not followed, and addresses
//     that resolve to loopback, private or link-local networks are refused
//     (no requests into the vendor's own network).
//   - an endpoint that has failed for 3 days without a success is
//     disabled, and its partner's main account is told; 重新投递 queues a
//     failed delivery again; 发送测试事件 queues a webhook.test event.
package webhook
