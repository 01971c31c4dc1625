SHELL := /bin/bash
DB_NAME      ?= partner_dev
DATABASE_URL ?= postgres://postgres:postgres@127.0.0.1:5432/$(DB_NAME)?sslmode=disable
ADDR         ?= :8080
BIN          := bin/partnercenter
# Stamped into the binary: `partnercenter version`.
VERSION      ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT       ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null)
# The fonts internal/platform/pdf embeds (Debian fonts-droid-fallback, fonts-liberation2).
PDF_CJK_FONT_FILE   := /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
PDF_LATIN_FONT_FILE := /usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf
GO_SOURCES   := $(shell find . -name '*.go' -not -path './node_modules/*' 2>/dev/null)
export DB_NAME DATABASE_URL ADDR

.PHONY: run test lint bench setup deps generate css build db migrate seed fmt clean dist

## run: install what is missing, build, ensure PostgreSQL, migrate, load demo data, serve
run: build db
	@$(BIN) migrate up >/dev/null
	@$(BIN) seed demo
	@echo
	@echo "  Partner Center → http://localhost$(ADDR)"
	@echo "  Demo logins (password Demo@2025pass):"
	@echo "    sp_admin     main account, 示例云科技有限公司 (solution provider)"
	@echo "    sp_finance   member with the custom role 财务"
	@echo "    sp_manager1  member with the preset role 客户经理 (also sp_manager2)"
	@echo "    sp_viewer    member without a role (default permissions only)"
	@echo "    md_admin     master distributor · cr_admin  its cloud reseller"
	@echo "    eco_manager  vendor ecosystem manager · vendor_admin  vendor administrator"
	@echo "    vendor_finance  vendor finance: recharges, withdrawals, consumption import, invoices, offline contracts, business info, incentive payments"
	@echo "    nr_admin / bc_admin / qm_admin  companies joining HCPN: under review / rejected / returned for materials"
	@echo "    xh_admin / yj_admin  solution-provider applications: under review / returned for materials"
	@echo "    lh_admin     invited to the master distributor program · qs_admin  an empty partner account (apply, or accept a reseller link)"
	@echo "    tx_admin     a former solution provider: 激励申请 shows its expired incentive netted (+200 / −600 → −400)"
	@echo "    zy_admin / sl_admin / spsvc_admin / hx_admin  development paths: software differentiated / service role certified /"
	@echo "                 service role application under review / SI whitelisted, not joined"
	@echo "    rx_admin / bx_admin  专职人员激励 (FH) of the SI and LP paths: graded presales experts / lecturer funds"
	@echo "    cust_zhang   a customer: sign in at /console/login (also cust_new, cust_wang, cust_li)"
	@echo "    li_lei       a personal Huawei account (个人华为账号): 智云软件's project specialist, certificates and vouchers"
	@echo "                 (also han_meimei, wang_fang, zhao_qiang invited; sign up another at /me/register)"
	@echo
	$(BIN) serve

## test: every test, browser journeys included, against a real PostgreSQL
test: generate css db lint
	go test -count=1 -p 2 -timeout 20m ./...
	go test -race -count=1 -run 'Concurren' ./internal/ledger/ ./internal/funds/
	# The import draws balances down with two COPY streams on goroutines.
	go test -race -count=1 -run 'Import|Midway|Repeated' ./internal/consumption/
	# A reseller link is accepted once however many accounts try at once.
	go test -race -count=1 -run 'UnderRace' ./internal/program/
	# Incentives are applied for, published and expired once, and one customer's
	# competing opportunities approved once, whoever comes at once.
	go test -race -count=1 -run 'Concurrent' ./internal/incentive/ ./internal/opportunity/
	# Two accounts of one partner entity take the last of a benefit cap once;
	# a person is linked to one partner, and a specialist of one path, once.
	go test -race -count=1 -run 'Concurrent' ./internal/benefit/ ./internal/people/
	# MDF usage applications never occupy more than the entity's quota; an FH
	# expert is graded twice at most, a lecturer's cultivation fund paid once.
	go test -race -count=1 -run 'Concurrent' ./internal/mdf/ ./internal/fh/

## lint: go.mod tidy, go vet, staticcheck (pinned in go.mod as a tool)
lint: generate
	go mod tidy -diff
	go vet ./...
	go tool staticcheck ./...

## bench: benchmarks with data generated at scale; results in docs/PERFORMANCE.md
bench: generate db
	go test -run '^$$' -bench . -benchtime 1x -timeout 60m ./...

setup:
	@if ! command -v node >/dev/null; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; fi
	@if ! command -v pdftotext >/dev/null; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; fi
	@if [ ! -f $(PDF_CJK_FONT_FILE) ] || [ ! -f $(PDF_LATIN_FONT_FILE) ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-droid-fallback fonts-liberation2; fi

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps: setup node_modules/.package-lock.json
	go mod download
	@cp node_modules/htmx.org/dist/htmx.min.js static/htmx.min.js
	@cp node_modules/echarts/dist/echarts.min.js static/echarts.min.js

generate:
	go tool templ generate >/dev/null

css: deps
	npx tailwindcss -c tailwind.config.js -i web/input.css -o static/app.css --minify 2>/dev/null

build: deps generate css
	go build -ldflags "-X main.version=$(VERSION) -X main.commit=$(COMMIT)" -o $(BIN) ./cmd/partnercenter

## dist: a release — a static binary (CGO off; assets and migrations embedded), the PDF fonts, the systemd unit
## and the proxy example, in dist/partnercenter-$(VERSION)-linux-amd64.tar.gz
DIST := dist/partnercenter-$(VERSION)-linux-amd64
dist: deps generate css
	rm -rf $(DIST) && mkdir -p $(DIST)/fonts
	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -ldflags "-s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT)" \
		-o $(DIST)/partnercenter ./cmd/partnercenter
	cp $(PDF_CJK_FONT_FILE) $(PDF_LATIN_FONT_FILE) $(DIST)/fonts/
	cp deploy/partnercenter.service deploy/partnercenter.env.example deploy/nginx.conf docs/OPERATIONS.md $(DIST)/
	tar -C dist -czf $(DIST).tar.gz $(notdir $(DIST))
	@echo "release: $(DIST).tar.gz"

## db: make sure PostgreSQL answers on 127.0.0.1:5432 and $(DB_NAME) exists
db:
	@scripts/db.sh

migrate: build db
	$(BIN) migrate up

seed: build db
	$(BIN) seed demo


fmt:
	gofmt -w $$(git ls-files '*.go')
	go tool templ fmt views

clean:
	rm -rf bin testdata/screenshots
