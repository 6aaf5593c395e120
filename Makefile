# milvus-coord: `make help` lists the targets.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
GO ?= go

# Pinned tools, built from the Go module proxy into .tools/ (once; later runs reuse them).
TOOLS := $(CURDIR)/.tools
HELM_VERSION := v3.22.0
HELM := $(TOOLS)/helm-$(HELM_VERSION)/helm
# >>> apiserver tools (tools/ has its own go.mod)
# KUBE_VERSION must match k8s.io/kubernetes in tools/go.mod (its staging modules are
# pinned there to the matching v0.x); ETCD_VERSION must match go.etcd.io/etcd/server/v3
# in tools/etcd/go.mod, a module of its own so kube-apiserver's etcd v3.7 libraries
# do not lift it.
KUBE_VERSION := v1.37.2
KUBE_APISERVER := $(TOOLS)/kube-apiserver-$(KUBE_VERSION)/kube-apiserver
KUBE_LDFLAGS := -X k8s.io/component-base/version.gitVersion=$(KUBE_VERSION) \
  -X k8s.io/component-base/version.gitMajor=$(word 1,$(subst ., ,$(KUBE_VERSION:v%=%))) \
  -X k8s.io/component-base/version.gitMinor=$(word 2,$(subst ., ,$(KUBE_VERSION:v%=%))) \
  -X k8s.io/component-base/version.gitTreeState=clean
ETCD_VERSION := v3.6.16
ETCD := $(TOOLS)/etcd-$(ETCD_VERSION)/etcd
# <<< apiserver tools
# >>> release tools: helm-docs writes the chart README (make docs), goreleaser builds
# the release archives (.goreleaser.yaml); both with `go install`, like Helm.
HELM_DOCS_VERSION := v1.14.2
HELM_DOCS := $(TOOLS)/helm-docs-$(HELM_DOCS_VERSION)/helm-docs
GORELEASER_VERSION := v2.15.1
GORELEASER := $(TOOLS)/goreleaser-$(GORELEASER_VERSION)/goreleaser
# pre-commit is Python: the Debian package, pinned (internal/docs runs its try-repo).
PRE_COMMIT_VERSION := 3.0.4-1
PRE_COMMIT := /usr/bin/pre-commit
# <<< release tools
# >>> cluster tools (tests/cluster): the controller manager and the scheduler come
# from the same k8s.io/kubernetes module as kube-apiserver (tools/go.mod) and reuse
# its build cache; KWOK_VERSION must match sigs.k8s.io/kwok in tools/kwok/go.mod, a
# module of its own so kwok keeps the client-go it was released with.
KUBE_CONTROLLER_MANAGER := $(TOOLS)/kube-controller-manager-$(KUBE_VERSION)/kube-controller-manager
KUBE_SCHEDULER := $(TOOLS)/kube-scheduler-$(KUBE_VERSION)/kube-scheduler
KWOK_VERSION := v0.8.0
KWOK := $(TOOLS)/kwok-$(KWOK_VERSION)/kwok
# <<< cluster tools

# Tests find the pinned tools through these; they fail (never skip) without them.
export MILVUS_COORD_HELM := $(HELM)
export MILVUS_COORD_KUBE_APISERVER := $(KUBE_APISERVER)
export MILVUS_COORD_ETCD := $(ETCD)
export MILVUS_COORD_HELM_DOCS := $(HELM_DOCS)
export MILVUS_COORD_GORELEASER := $(GORELEASER)
export MILVUS_COORD_PRE_COMMIT := $(PRE_COMMIT)
export MILVUS_COORD_KUBE_CONTROLLER_MANAGER := $(KUBE_CONTROLLER_MANAGER)
export MILVUS_COORD_KUBE_SCHEDULER := $(KUBE_SCHEDULER)
export MILVUS_COORD_KWOK := $(KWOK)
# tests/upstream checks valuescheck --chart against unmodified copies of zilliztech's
# milvus chart 4.2.24 and 5.0.19 (README: how to get them elsewhere).
export MILVUS_COORD_UPSTREAM_CHARTS ?= $(abspath ../shared/upstream-charts)
# tests/cluster writes the HA figures it measured here (Markdown), and `make test` shows them.
export MILVUS_COORD_CLUSTER_FIGURES := $(CURDIR)/bin/cluster-figures.md

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: check
check: ## Run valuescheck on the chart's default values (the embedded chart).
	$(GO) run ./cmd/valuescheck charts/milvus-coord/values.yaml

.PHONY: build
build: ## Build bin/valuescheck and bin/coordctl.
	$(GO) build -trimpath -o bin/valuescheck ./cmd/valuescheck
	$(GO) build -trimpath -o bin/coordctl ./cmd/coordctl

# The packages that check files in parallel: the race detector runs over them.
RACE_PACKAGES := ./cmd/valuescheck ./internal/check ./internal/values ./internal/schema

.PHONY: test
test: tools ## Run every test: gofmt, go vet, unit, golden, real Helm, real API server and controllers.
	@unformatted=$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go' 2>/dev/null || find . -name '*.go' -not -path './.tools/*')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	@$(GO) mod tidy -diff || { echo "go mod tidy would change go.mod or go.sum: run go mod tidy"; exit 1; }
	$(GO) test -count=1 -race $(RACE_PACKAGES)
	@rm -f $(MILVUS_COORD_CLUSTER_FIGURES)
	$(GO) test -count=1 -timeout 30m ./...
	@echo "HA figures measured by tests/cluster ($(MILVUS_COORD_CLUSTER_FIGURES)):"; cat $(MILVUS_COORD_CLUSTER_FIGURES)

.PHONY: bench
bench: ## Go benchmarks of every pipeline stage (-count 6, for benchstat) into bench.txt.
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./bench | tee bench.txt

.PHONY: bench-compare
bench-compare: $(HELM) ## valuescheck against helm template as processes (1,000 files): a Markdown table.
	$(GO) run ./bench/compare -helm $(HELM) -n 1000

.PHONY: docs
docs: $(HELM_DOCS) ## Regenerate the chart README, the README's rules table and example outputs.
	$(GO) test ./internal/docs -run TestDocs -count=1 -update

.PHONY: update
update: tools ## Rewrite golden files and generated schema (review the diff before committing).
	$(GO) test -count=1 ./... -update

.PHONY: tools
tools: $(HELM) $(KUBE_APISERVER) $(ETCD) $(KUBE_CONTROLLER_MANAGER) $(KUBE_SCHEDULER) $(KWOK) $(HELM_DOCS) $(GORELEASER) $(PRE_COMMIT) ## Build the pinned Helm, Kubernetes components, etcd, kwok, helm-docs, goreleaser and pre-commit.

$(HELM):
	@echo "building helm $(HELM_VERSION) into $(@D) (about 100 s the first time)"
	GOBIN=$(@D) $(GO) install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)

$(KUBE_APISERVER):
	@echo "building kube-apiserver $(KUBE_VERSION) into $(@D) (about 10 min on 2 idle cores the first time)"
	cd tools && $(GO) build -trimpath -ldflags '$(KUBE_LDFLAGS)' -o $@ k8s.io/kubernetes/cmd/kube-apiserver

# Rebuilt when tools/etcd changes: the coordctl tests need its TLS flags.
$(ETCD): tools/etcd/main.go tools/etcd/go.mod
	@echo "building etcd $(ETCD_VERSION) into $(@D) (about 90 s on 2 cores the first time)"
	cd tools/etcd && $(GO) build -trimpath -buildvcs=false -o $@ .

# After kube-apiserver: most of their packages are then in the build cache, and
# building them at the same time would only compete for the cores.
$(KUBE_CONTROLLER_MANAGER): | $(KUBE_APISERVER)
	@echo "building kube-controller-manager $(KUBE_VERSION) into $(@D) (about 2 min after kube-apiserver)"
	cd tools && $(GO) build -trimpath -ldflags '$(KUBE_LDFLAGS)' -o $@ k8s.io/kubernetes/cmd/kube-controller-manager

$(KUBE_SCHEDULER): | $(KUBE_CONTROLLER_MANAGER)
	@echo "building kube-scheduler $(KUBE_VERSION) into $(@D) (about 15 s after kube-controller-manager)"
	cd tools && $(GO) build -trimpath -ldflags '$(KUBE_LDFLAGS)' -o $@ k8s.io/kubernetes/cmd/kube-scheduler

$(KWOK): | $(KUBE_SCHEDULER)
	@echo "building kwok $(KWOK_VERSION) into $(@D) (about 2 min on 2 busy cores the first time)"
	cd tools/kwok && $(GO) build -trimpath -o $@ sigs.k8s.io/kwok/cmd/kwok

$(HELM_DOCS):
	@echo "building helm-docs $(HELM_DOCS_VERSION) into $(@D) (about 35 s the first time)"
	GOBIN=$(@D) $(GO) install github.com/norwoodj/helm-docs/cmd/helm-docs@$(HELM_DOCS_VERSION)

$(GORELEASER):
	@echo "building goreleaser $(GORELEASER_VERSION) into $(@D) (about 6 min on 2 busy cores the first time)"
	GOBIN=$(@D) $(GO) install github.com/goreleaser/goreleaser/v2@$(GORELEASER_VERSION)

$(PRE_COMMIT):
	@echo "installing pre-commit $(PRE_COMMIT_VERSION) with apt-get (about 25 s the first time)"
	apt-get install -y --no-install-recommends pre-commit=$(PRE_COMMIT_VERSION) || \
	  { apt-get update && apt-get install -y --no-install-recommends pre-commit=$(PRE_COMMIT_VERSION); }
