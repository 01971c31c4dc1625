// Package i18n is the one message catalog of the product: zh-CN first,
// en-US complete. Messages live in locales/<area>.<lang>.toml, embedded in
// the binary; every user-visible string goes through T.
package i18n

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages supported, the first is the default.
const (
	ZhCN = "zh-CN"
	EnUS = "en-US"
)

// Supported lists the languages in display order.
var Supported = []string{ZhCN, EnUS}

//go:embed locales/*.toml
var files embed.FS

var (
	once    sync.Once
	bundle  *goi18n.Bundle
	locs    map[string]*goi18n.Localizer
	loadErr error
)

func load() {
	bundle = goi18n.NewBundle(language.SimplifiedChinese)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	entries, err := fs.Glob(files, "locales/*.toml")
	if err != nil {
		loadErr = err
		return
	}
	for _, e := range entries {
		data, err := files.ReadFile(e)
		if err != nil {
			loadErr = err
			return
		}
		if _, err := bundle.ParseMessageFileBytes(data, path.Base(e)); err != nil {
			loadErr = fmt.Errorf("%s: %w", e, err)
			return
		}
	}
	locs = map[string]*goi18n.Localizer{}
	for _, l := range Supported {
		locs[l] = goi18n.NewLocalizer(bundle, l)
	}
}

// Check loads the catalog and reports a malformed file.
func Check() error { once.Do(load); return loadErr }

type langKey struct{}

// WithLang returns ctx rendering in lang.
func WithLang(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, langKey{}, Normalize(lang))
}

// Lang returns the language of ctx (zh-CN when unset).
func Lang(ctx context.Context) string {
	if l, ok := ctx.Value(langKey{}).(string); ok {
		return l
	}
	return ZhCN
}

// Normalize maps any accepted spelling to a supported language.
func Normalize(lang string) string {
	l := strings.ToLower(strings.TrimSpace(lang))
	if strings.HasPrefix(l, "en") {
		return EnUS
	}
	return ZhCN
}

// T translates id in the language of ctx. An optional map fills the
// message template ({{.Name}}). A missing id renders as the id itself, and
// the catalog test fails on it.
func T(ctx context.Context, id string, data ...map[string]any) string {
	return TL(Lang(ctx), id, data...)
}

// TL translates id in lang.
func TL(lang, id string, data ...map[string]any) string {
	once.Do(load)
	loc := locs[Normalize(lang)]
	if loc == nil {
		return id
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id}
	if len(data) > 0 && data[0] != nil {
		cfg.TemplateData = data[0]
	}
	s, err := loc.Localize(cfg)
	if err != nil || s == "" {
		return id
	}
	return s
}

// Has reports whether id exists in lang.
func Has(lang, id string) bool {
	once.Do(load)
	_, err := locs[Normalize(lang)].Localize(&goi18n.LocalizeConfig{MessageID: id})
	return err == nil
}

// IDs lists all message ids defined for lang, sorted.
func IDs(lang string) ([]string, error) {
	entries, err := fs.Glob(files, "locales/*."+lang+".toml")
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		var m map[string]any
		data, _ := files.ReadFile(e)
		if err := toml.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", e, err)
		}
		for k := range m {
			ids = append(ids, k)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// Params prepares a stored message's parameters for rendering in lang,
// the one convention of 站内信, e-mail and SMS: for every parameter "XKey"
// holding a catalog id, "X" is its translation; a parameter "XAt" holding
// an RFC 3339 time is shown in loc. It changes params and returns it.
func Params(lang string, params map[string]any, loc *time.Location) map[string]any {
	for k, v := range params {
		s, ok := v.(string)
		if !ok {
			continue
		}
		if strings.HasSuffix(k, "Key") && len(k) > 3 {
			params[strings.TrimSuffix(k, "Key")] = TL(lang, s)
		}
		if strings.HasSuffix(k, "At") && loc != nil {
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				params[k] = t.In(loc).Format("2006-01-02 15:04 MST")
			}
		}
	}
	return params
}
