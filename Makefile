# Tanggap developer entry points. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Function logical id (template.yaml) = folder under functions/. One line per function; a test in
# infra/samtemplate checks that every function in template.yaml is listed here with samtemplate.FunctionDir.
FUNCTIONS := \
	OrdersFunction=orders \
	ReturnsFunction=returns \
	ComplaintsFunction=complaints \
	EscalationConsumerFunction=escalation-consumer \
	EscalationRelayFunction=escalation-relay \
	SurveysFunction=surveys \
	MetricsFunction=metrics \
	WorkspaceFunction=workspace \
	HelpCenterFunction=help-center \
	NotificationsFunction=notifications \
	SlaMonitorFunction=sla-monitor

DDB_PORT ?= 8000
SQS_PORT ?= 4566
export DDB_PORT SQS_PORT

SERVICES := infra/local/services.sh

# What integration tests need (see CONVENTIONS.md). SQS_PORT serves SNS too.
SERVICE_ENV := \
	TANGGAP_DYNAMODB_ENDPOINT=http://127.0.0.1:$(DDB_PORT) \
	TANGGAP_SQS_ENDPOINT=http://127.0.0.1:$(SQS_PORT) \
	TANGGAP_FAUXQS_COMMAND='node "$(CURDIR)/infra/local/fauxqs.mjs"' \
	AWS_ACCESS_KEY_ID=local \
	AWS_SECRET_ACCESS_KEY=local \
	AWS_REGION=ap-southeast-3
TEST_ENV := $(SERVICE_ENV) TANGGAP_REQUIRE_SERVICES=1

# Lambda binaries: provided.al2023 on arm64, reproducible and stripped. Why each flag: infra/runtimeapi/build.go
# (ReleaseTags, ReleaseFlags); a test keeps the two in step.
GO_LAMBDA_BUILD := GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -tags lambda.norpc,nethttpomithttp2 -trimpath -gcflags=all=-l -ldflags="-s -w" -buildvcs=false

# Mutation testing (make mutation). One entry per domain package, as its directory under shared/:
# dir[:judge,...], where the judges are the other packages (API handlers, DynamoDB adapters) whose tests also
# judge its mutants. Add a new domain package here; `make mutation` names any package under shared/ that is
# neither mutated nor judging. PKG picks entries by package name or directory.
MUTATION_PACKAGES := \
	platform/money:order,returns,returns/returnapi \
	returns/returnpolicy:order,returns,order/orderapi,returns/returnapi \
	returns:returns/returnapi,dynamostore,workspace/workspaceapi \
	ticket:ticket/complaintapi,dynamostore,workspace/workspaceapi \
	survey:survey/surveyapi,dynamostore \
	order:order/orderapi,returns/returnapi,dynamostore \
	platform/idempotency:platform/httpapi,order/orderapi,dynamostore \
	escalation:escalation/escalationlambda,ticket/complaintapi,dynamostore \
	metrics:metrics/metricsapi,dynamostore \
	workspace/customer:workspace/customerapi,metrics/metricsapi,dynamostore \
	workspace/macro:workspace/customerapi,ticket/complaintapi,dynamostore \
	platform/i18n:platform/httpapi,returns/returnapi \
	platform/httpapi:order/orderapi,returns/returnapi,ticket/complaintapi,platform/logging \
	platform/randomid:returns,ticket \
	platform/indotext:ticket,helpcenter/helpsearch \
	workspace/workqueue:workspace/workspaceapi,dynamostore \
	helpcenter/helpsearch:helpcenter,helpcenter/helpapi \
	helpcenter/safemarkdown:helpcenter,helpcenter/helpapi \
	helpcenter:helpcenter/helpapi,dynamostore \
	customerevent:customerevent/customereventlambda,dynamostore \
	customerevent/inbox:customerevent/inboxapi,dynamostore \
	ticket/calendar:ticket,ticket/complaintapi,ticket/calendarapi,dynamostore \
	platform/outbox:escalation,customerevent,escalation/escalationlambda,customerevent/customereventlambda
MUTATION_WORKERS ?= 2
MUTATION_MIN ?= 90
PKG :=
# The shared tools sit next to the checkout; from a git worktree, next to the main checkout.
MUTDRIVE_SRC ?= $(firstword $(wildcard $(CURDIR)/../shared/tools/mutdrive/main.go) \
	$(wildcard $(dir $(abspath $(shell git rev-parse --git-common-dir 2>/dev/null)))../shared/tools/mutdrive/main.go))

GO_FILES_CMD := find . -name '*.go' -not -path './.cache/*' -not -path './build/*' -not -path './.aws-sam/*'

.PHONY: help tools services-up services-down services-status env fmt-check vet lint test bench fuzz build run clean mutation

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  %-16s %s\n", $$1, $$2 }'
	@echo "  build-<LogicalId>  SAM build (BuildMethod makefile) of one function into ARTIFACTS_DIR"
	@echo "Ports: DDB_PORT=$(DDB_PORT) SQS_PORT=$(SQS_PORT) (override on the command line)"

tools: ## Download DynamoDB Local and fauxqs into .cache/ (cached)
	@$(SERVICES) tools

services-up: tools ## Start DynamoDB Local and fauxqs on 127.0.0.1 (reuses running ones)
	@$(SERVICES) up

services-down: ## Stop the services that services-up started
	@$(SERVICES) down

services-status: ## Show which local services are up
	@$(SERVICES) status

env: ## Print the service environment, for: eval "$(make -s env)"
	@for kv in $(SERVICE_ENV); do printf 'export %q\n' "$$kv"; done

fmt-check: ## Fail if any Go file is not gofmt-formatted
	@files="$$($(GO_FILES_CMD) -print0 | xargs -0 -r gofmt -l)"; \
	if [ -n "$$files" ]; then echo "gofmt needed:"; echo "$$files"; exit 1; fi

vet: ## go vet ./...
	go vet ./...

# cfn-lint: errors and warnings, plus I3011 (stateful resources need DeletionPolicy/UpdateReplacePolicy).
# staticcheck is pinned by go.mod's tool directive. A missing tool is reported and skipped, never silently.
lint: ## go.mod tidy, cfn-lint template.yaml (with I3011) and staticcheck, all with zero findings
	@go mod tidy -diff >/dev/null || { echo "go.mod/go.sum are not tidy: run go mod tidy"; go mod tidy -diff; exit 1; }
	@if command -v cfn-lint >/dev/null 2>&1; then \
		cfn-lint --include-checks I3011 -- template.yaml && echo "cfn-lint: clean"; \
	else echo "cfn-lint: SKIPPED (not installed; pip install cfn-lint)"; fi
	@if go tool -n staticcheck >/dev/null 2>&1; then \
		go tool staticcheck ./... && echo "staticcheck: clean"; \
	else echo "staticcheck: SKIPPED (go tool staticcheck unavailable; needs the Go module proxy once)"; fi

test: tools fmt-check lint ## gofmt check, cfn-lint, staticcheck, go vet and go test -race against local services (stopped afterwards)
	@$(SERVICES) run -- env $(TEST_ENV) bash -c \
		'go vet ./... && go test -race -count=1 -timeout 20m ./...'; \
	status=$$?; \
	if [ $$status -eq 0 ]; then echo "make test: PASS"; else echo "make test: FAIL (exit $$status)"; fi; \
	exit $$status

bench: tools ## Benchmarks against local services
	@$(SERVICES) run -- env $(TEST_ENV) go test -run '^$$' -bench . -benchmem -timeout 20m ./...

# Fuzz targets as package:Target; their seed corpora run in `make test` like any test.
FUZZ_TARGETS := \
	./shared/returns/returnapi:FuzzReturnsEdge \
	./shared/platform/httpapi:FuzzDecodeBytes \
	./shared/dynamostore:FuzzDecodeCursor \
	./shared/escalation:FuzzDecodeMessage \
	./shared/platform/idempotency:FuzzFingerprint \
	./shared/helpcenter/safemarkdown:FuzzRender \
	./shared/helpcenter:FuzzCleanQuery \
	./shared/helpcenter/helpsearch:FuzzSearch
FUZZTIME ?= 60s

fuzz: ## Run every fuzz target for FUZZTIME each (default 60s), one after another
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "== $${t#*:} ($${t%%:*}, $(FUZZTIME))"; \
		go test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZTIME) "$${t%%:*}"; \
	done

build: ## Build build/<function>/bootstrap for every folder under functions/
	@set -e; found=0; \
	for dir in functions/*/; do \
		name=$$(basename "$$dir"); \
		ls "$$dir"*.go >/dev/null 2>&1 || continue; \
		found=1; \
		$(GO_LAMBDA_BUILD) -o "build/$$name/bootstrap" "./functions/$$name"; \
		printf '%-24s %8s bytes\n' "build/$$name/bootstrap" "$$(wc -c <"build/$$name/bootstrap" | tr -d ' ')"; \
	done; \
	if [ $$found -eq 0 ]; then echo "no function folders with Go files under functions/"; fi

# build-<LogicalId>: what `sam build` runs for a function with BuildMethod makefile.
define SAM_BUILD_RULE
.PHONY: build-$(1)
build-$(1):
	@test -n "$$(ARTIFACTS_DIR)" || { echo "build-$(1): ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 1; }
	@test -d functions/$(2) || { echo "build-$(1): functions/$(2) does not exist" >&2; exit 1; }
	$(GO_LAMBDA_BUILD) -o "$$(ARTIFACTS_DIR)/bootstrap" ./functions/$(2)
endef
$(foreach pair,$(FUNCTIONS),$(eval $(call SAM_BUILD_RULE,$(word 1,$(subst =, ,$(pair))),$(word 2,$(subst =, ,$(pair))))))

run: tools ## Local API on 127.0.0.1:3000 with every function and demo data (RUN_FLAGS='-max-instances 4' etc.; low-priority SLA targets of 2/4 minutes for the demo); Ctrl-C stops everything
	@$(SERVICES) run -- env $(SERVICE_ENV) go run ./infra/localstack -param SlaDemoMinutes=2 $(RUN_FLAGS)

clean: ## Remove build output (keeps the .cache/ downloads)
	rm -rf build .aws-sam

mutation: ## Mutation scores of the domain packages, judged by their own and API tests (slow; PKG=returns for one)
	@src='$(MUTDRIVE_SRC)'; \
	if [ -z "$$src" ]; then echo "mutation: ../shared/tools/mutdrive not found; nothing to run"; exit 0; fi; \
	set -e; $(SERVICES) tools; \
	(cd "$$(dirname "$$src")" && go build -o "$(CURDIR)/.cache/mutdrive" .); \
	$(SERVICES) run -- env $(TEST_ENV) nice -n 10 go run ./infra/mutation -mutdrive .cache/mutdrive \
		-packages '$(MUTATION_PACKAGES)' -only '$(PKG)' -workers $(MUTATION_WORKERS) -min $(MUTATION_MIN)
