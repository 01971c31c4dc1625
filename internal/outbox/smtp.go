package outbox

import (
	"context"
	"fmt"
	"time"

	mail "github.com/wneessen/go-mail"
)

// SMTP is an e-mail sender through an SMTP server (SMTP_HOST and friends).
// TLS is "starttls" (opportunistic STARTTLS, the default), "required"
// (STARTTLS or fail), "tls" (implicit TLS, port 465) or "none".
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	TLS      string
}

// Send delivers one e-mail in plain text, UTF-8, with a Message-ID made of
// the outbox id so that a repeat after a crash is recognisable.
func (s SMTP) Send(ctx context.Context, e Envelope) error {
	m := mail.NewMsg()
	if err := m.From(s.From); err != nil {
		return fmt.Errorf("from %q: %w", s.From, err)
	}
	if err := m.To(e.To); err != nil {
		return fmt.Errorf("to %q: %w", e.To, err)
	}
	m.Subject(e.Subject)
	m.SetMessageIDWithValue(fmt.Sprintf("outbox-%d@partnercenter", e.ID))
	m.SetDate()
	m.SetBodyString(mail.TypeTextPlain, e.Body)
	opts := []mail.Option{mail.WithPort(s.Port), mail.WithTimeout(20 * time.Second)}
	switch s.TLS {
	case "none":
		opts = append(opts, mail.WithTLSPortPolicy(mail.NoTLS))
	case "required":
		opts = append(opts, mail.WithTLSPortPolicy(mail.TLSMandatory))
	case "tls":
		opts = append(opts, mail.WithSSLPort(false))
	default:
		opts = append(opts, mail.WithTLSPortPolicy(mail.TLSOpportunistic))
	}
	if s.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(s.Username), mail.WithPassword(s.Password))
	}
	c, err := mail.NewClient(s.Host, opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, m)
}
