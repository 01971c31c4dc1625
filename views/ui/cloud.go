package ui

import (
	"context"
	"strings"

	"partnercenter/internal/platform/i18n"
)

// Product is a cloud product type as the reader reads it: the imported
// name ("弹性云服务器 ECS") in Chinese, the catalog's English name
// ("Elastic Cloud Server (ECS)") in English when the product's code (its
// last word) is known; otherwise the name as imported.
func Product(ctx context.Context, name string) string {
	lang := i18n.Lang(ctx)
	if lang == "zh-CN" {
		return name
	}
	fields := strings.Fields(name)
	if len(fields) == 0 {
		return name
	}
	key := "product." + fields[len(fields)-1]
	if i18n.Has(lang, key) {
		return i18n.TL(lang, key)
	}
	return name
}

// Region is a region id ("cn-north-4") as its name ("华北-北京四",
// "CN North-Beijing4"), or the id when the catalog has no name for it.
func Region(ctx context.Context, id string) string {
	if id == "" {
		return ""
	}
	lang := i18n.Lang(ctx)
	if key := "region." + id; i18n.Has(lang, key) {
		return i18n.TL(lang, key)
	}
	return id
}
