# Tandem: the developer's entry points. `make` alone lists them.
#   make run     the whole stack on this machine, in the foreground (Ctrl-C stops it)
#   make test    every test, with the PostgreSQL and etcd the tests start themselves
# Both install what is missing first (scripts/ensure-deps.sh: apt-get as root or with passwordless sudo).

SHELL := /bin/bash
.DEFAULT_GOAL := help
MVN ?= mvn
COMPOSE ?= docker-compose

.PHONY: help run stop test smoke-run bench bench-failover build compose-check format check-format clean deps

help: ## List the targets
	@echo "Tandem: make <target>"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  \1\t\2/' | expand -t 18

run: ## Build and run the whole stack in the foreground: PostgreSQL, etcd, scheduler, replication, node1..3, api
	@scripts/run.sh

stop: ## Stop everything `make run` started (also from another terminal)
	@scripts/stop.sh

test: ## Install what is missing, validate docker-compose.yml, run every test (mvn -Dci verify: checks formatting)
	@scripts/ensure-deps.sh test
	@$(MAKE) --no-print-directory compose-check
	$(MVN) -B -Dci verify

smoke-run: ## Check the front door: start the stack as `make run` does, probe every service, stop it (after a build)
	@scripts/smoke-run.sh

build: ## Build every module without tests (service jars under <svc>/target)
	@scripts/ensure-deps.sh build
	$(MVN) -B -q package -DskipTests

bench: ## Creates/s and latency through scheduler-svc to 2 volume nodes per driver, ListVolumes at 10k (N=200 C=20 LIST=10000); not part of test
	@scripts/ensure-deps.sh run
	$(MVN) -B -q package -DskipTests -pl bench -am
	java -Dtandem.top=$(CURDIR) -jar bench/target/tandem-bench.jar $(or $(N),200) $(or $(C),20) $(or $(LIST),10000)

bench-failover: ## Failover/failback duration, request -> all members acknowledged: 1/3/5 members x 100/1k/10k volumes
	$(MVN) -B -q package -DskipTests -pl bench -am
	java -Dtandem.top=$(CURDIR) -jar bench/target/tandem-bench.jar failover

compose-check: ## Validate docker-compose.yml (installs Debian's docker-compose if missing; no Docker engine needed)
	@scripts/ensure-deps.sh compose
	$(COMPOSE) -f docker-compose.yml config -q
	@echo "docker-compose.yml is valid"

format: ## Format the Java sources (spotless apply)
	@scripts/ensure-deps.sh build
	$(MVN) -q spotless:apply

check-format: ## Fail on unformatted Java sources (spotless check)
	@scripts/ensure-deps.sh build
	$(MVN) -q -Dci spotless:check

clean: stop ## Stop the stack, remove build output and the dev stack's data (.run)
	@scripts/ensure-deps.sh build
	$(MVN) -q clean
	@scripts/stop.sh --purge

deps: ## Install what `make run` and `make test` need and is missing
	@scripts/ensure-deps.sh test
