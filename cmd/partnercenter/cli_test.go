package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// help and version answer without a database (DATABASE_URL points at a
// port nothing listens on); an unknown command is a usage error; a bad
// configuration value stops a command before it connects, naming the
// variable.
func TestHelpAndVersionNeedNoDatabase(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1")
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		var out bytes.Buffer
		if err := run(args, &out); err != nil || !strings.Contains(out.String(), "migrate up|down|status") {
			t.Fatalf("%v: %v %q", args, err, out.String())
		}
	}
	var out bytes.Buffer
	if err := run([]string{"version"}, &out); err != nil || !strings.HasPrefix(out.String(), "partnercenter ") || !strings.Contains(out.String(), "commit ") {
		t.Fatalf("version: %v %q", err, out.String())
	}
	if err := run([]string{"frobnicate"}, &out); !errors.Is(err, errUsage) {
		t.Fatalf("an unknown command: %v", err)
	}
	t.Setenv("SECURE_COOKIES", "maybe")
	if err := run([]string{"check", "ledger"}, &out); err == nil || !strings.Contains(err.Error(), "SECURE_COOKIES") {
		t.Fatalf("a bad SECURE_COOKIES: %v", err)
	}
}
