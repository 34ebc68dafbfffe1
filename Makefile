# OpenEPRO: one entry point for building, testing, running and benchmarking.
#   make test    build, unit + integration tests against a local AWS emulator, template checks, sam build
#   make run     the whole system on this machine (no Docker): HTTP API on 127.0.0.1:3000
#   make bench   JMH and cold-start benchmarks (see bench/README.md)
# `sam build` calls the build-<LogicalId> targets below (Metadata: BuildMethod: makefile).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# a JDK 25 always: JAVA_HOME when it is one, else the one find-jdk.sh finds (an older JAVA_HOME is not used)
JAVA_HOME := $(shell infra/scripts/find-jdk.sh)
ifeq ($(JAVA_HOME),)
$(error no JDK 25 found: install one or point JAVA_HOME at it)
endif
export JAVA_HOME
export PATH := $(JAVA_HOME)/bin:$(PATH)
# Maven's bundled Guice still calls sun.misc.Unsafe; JDK 24+ warns about it on every run
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow
# SAM CLI must not phone home: this machine has no internet beyond package registries
export SAM_CLI_TELEMETRY := 0

PYTHON ?= python3
VENV := .venv
VENV_STAMP := $(VENV)/.installed-$(shell cksum < infra/requirements.txt | cut -d' ' -f1)
# checkov pins an older boto3 than moto and the SAM CLI take: it gets a virtualenv of its own
CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed-$(shell cksum < infra/requirements-checkov.txt | cut -d' ' -f1)
MVN := ./mvnw -B -ntp

FUNCTION_MODULES := functions/submit-report functions/index-report functions/alert functions/export functions/schedule functions/staff
# sam build runs one build-<LogicalId> target at a time; Maven builds the reactor once for all of them
REACTOR_STAMP := target/lambda-jars.stamp
REACTOR_SOURCES := pom.xml $(shell find functions -name pom.xml -o -path '*/src/main/*' -type f 2>/dev/null)
# every module's main code and poms, which `make build` installs
BUILD_STAMP := target/build.stamp
LOCAL_CLASSPATH := target/local-runtime.classpath
BUILD_SOURCES := pom.xml $(shell find functions infra bench -name pom.xml -o -path '*/src/main/*' -type f 2>/dev/null)

.PHONY: help venv build test format format-check unit-and-integration iam-report lint sam-build check-artifacts local-artifacts run token \
	demo bench clean console console-test console-unit-test console-browser-test console-deploy

help:
	@echo "make test      build and run every test and template check (the CI entry point)"
	@echo "make run       run OpenEPRO locally against the AWS emulator on 127.0.0.1:3000"
	@echo "make token     print a local JWT (ROLE=patient STUDY=.. SITE=.. SUBJECT=.. | ROLE=staff STUDIES=..)"
	@echo "make demo      submit a day of a small study to a running 'make run', then export it"
	@echo "make bench     run the benchmarks"
	@echo "make console   build the staff console (console/dist); console-test runs its unit and browser tests"
	@echo "make console-deploy STACK=openepro   upload the console build to a deployed stack"
	@echo "make format    format the Java sources (Spotless, palantir-java-format); make test checks it"
	@echo "make build     package every module without tests"
	@echo "make clean     remove build output"

# ---------------------------------------------------------------- Python tools (pinned)
venv: $(VENV_STAMP)

$(VENV_STAMP): infra/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check -q -r infra/requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

$(CHECKOV_STAMP): infra/requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --disable-pip-version-check -q -r infra/requirements-checkov.txt
	rm -f $(CHECKOV_VENV)/.installed-*
	touch $@

# ---------------------------------------------------------------- build
# failsafe 3.6 no longer reads -DskipTests: without -DskipITs every integration test would run here
build:
	$(MVN) -q -DskipTests -DskipITs install
	@mkdir -p target && touch $(BUILD_STAMP) $(REACTOR_STAMP)

# `make token` builds only when a module's sources changed since the last build, and quietly: every
# line of that goes to stderr, so stdout is the token alone and TOKEN=$$(make token ...) captures it
$(BUILD_STAMP): $(BUILD_SOURCES)
	@echo "make: sources changed since the last build: building first" >&2
	@$(MVN) -q -DskipTests -DskipITs install >&2
	@mkdir -p target && touch $@ $(REACTOR_STAMP)

# the local runtime's runtime classpath (its dependencies as installed), so `make run`, `make demo` and
# `make token` run plain java
# touched: the plugin leaves an unchanged file as it was, which would leave it older than the build
# stamp and rerun Maven at every `make run`
$(LOCAL_CLASSPATH): $(BUILD_STAMP)
	@$(MVN) -q -pl infra/lambda-runtime dependency:build-classpath -Dmdep.includeScope=runtime \
		-Dmdep.outputFile=$(CURDIR)/$@ >&2
	@touch $@

$(REACTOR_STAMP): $(REACTOR_SOURCES)
	$(MVN) -q -DskipTests -DskipITs -pl $(subst $(space),$(comma),$(FUNCTION_MODULES)) -am package
	@mkdir -p target && touch $@

comma := ,
space := $(empty) $(empty)

define lambda_target
build-$(1): $(REACTOR_STAMP)
	mkdir -p "$$(ARTIFACTS_DIR)/lib"
	cp $(2)/target/$(notdir $(2))-lambda.jar "$$(ARTIFACTS_DIR)/lib/"
endef

$(eval $(call lambda_target,SubmitReportFunction,functions/submit-report))
$(eval $(call lambda_target,OutboxSweeperFunction,functions/submit-report))
$(eval $(call lambda_target,TokenClaimsFunction,functions/submit-report))
$(eval $(call lambda_target,QuestionnaireAdminFunction,functions/submit-report))
$(eval $(call lambda_target,IndexReportFunction,functions/index-report))
$(eval $(call lambda_target,AlertFunction,functions/alert))
$(eval $(call lambda_target,AlertApiFunction,functions/alert))
$(eval $(call lambda_target,ExportApiFunction,functions/export))
$(eval $(call lambda_target,ExportWorkerFunction,functions/export))
$(eval $(call lambda_target,ScheduleApiFunction,functions/schedule))
$(eval $(call lambda_target,SchedulerFunction,functions/schedule))
$(eval $(call lambda_target,StaffApiFunction,functions/staff))

# ---------------------------------------------------------------- test
# sam build first: infra/lambda-runtime's integration tests start every function from .aws-sam/build (its lib/*.jar
# only) through the Lambda runtime client, as Lambda will run it, so the artifacts must exist before they run
test: venv
	@start=$$(date +%s); rm -rf target/iam; \
	$(MAKE) --no-print-directory format-check sam-build unit-and-integration console-test lint check-artifacts iam-report; \
	echo "make test: passed in $$(( $$(date +%s) - start )) s"

# Formatting is never reviewed by hand: make format writes it, make test fails on a file it would change.
format:
	$(MVN) -q spotless:apply

format-check:
	$(MVN) -q spotless:check

# One moto server for the whole run; each module's tests create their own stack in it from template.yaml.
# First the emulator's own unit tests (its IAM policy evaluation), in Python's standard unittest.
unit-and-integration: venv
	$(VENV)/bin/python -m unittest discover -q -s infra/aws-emulator/tests
	infra/scripts/with-emulator.sh $(MVN) install
	@mkdir -p target && touch $(REACTOR_STAMP)

# Least privilege: per function, what its role grants that no call of the tests used (target/iam-usage.txt).
# The emulator's own tests (infra/aws-emulator, stacks epro-aws-emulator-*) call with functions' credentials on
# purpose, to prove the check: their calls do not count as use.
iam-report: venv
	@$(VENV)/bin/python infra/aws-emulator/iam_report.py target/iam --out target/iam-usage.txt \
		--exclude-stack-prefix epro-aws-emulator- --exclude-stack-prefix epro-deliberate-denials-

# The security scans fail on any finding that is neither fixed nor excused, with its reason, in the
# resource's Metadata (checkov: skip + comment; cfn-lint: ignore_checks + a comment on the line), and
# check_scan_exceptions.py fails on an exception without a reason, then lists them all.
# checkov runs twice: on template.yaml as a reviewer scans it (it reads an !If as "configured"), and on
# the template as CloudFormation deploys it with a customer-managed key, a concurrency cap and every
# optional resource, where each choice is decided. --skip-download: checkov does not call home.
CUSTOMER_KEY_PARAMETERS := DataKeyArn=arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000 \
	FunctionConcurrencyLimit=20 AlertEmail=nurses@example.org AlertSiteId=SITE-01 OpsEmail=ops@example.org
lint: venv $(CHECKOV_STAMP)
	$(VENV)/bin/cfn-lint -t template.yaml -a cfn_lint_serverless.rules
	$(VENV)/bin/sam validate --lint --template-file template.yaml
	$(CHECKOV_VENV)/bin/checkov -f template.yaml --framework cloudformation --skip-download --compact --quiet
	@mkdir -p target
	$(VENV)/bin/python infra/scripts/translate_template.py --template template.yaml \
		$(addprefix --parameter ,$(CUSTOMER_KEY_PARAMETERS)) > target/template-customer-key.json
	$(CHECKOV_VENV)/bin/checkov -f target/template-customer-key.json --framework cloudformation --skip-download --compact --quiet
	$(VENV)/bin/python infra/scripts/check_scan_exceptions.py template.yaml
	$(VENV)/bin/python -c "from openapi_spec_validator import validate; \
		from openapi_spec_validator.readers import read_from_filename; \
		validate(read_from_filename('infra/openapi.yaml')[0]); print('infra/openapi.yaml is a valid OpenAPI document')"

sam-build: venv
	$(VENV)/bin/sam build --template-file template.yaml

check-artifacts: venv
	$(VENV)/bin/python infra/scripts/check_artifacts.py template.yaml .aws-sam/build

# ---------------------------------------------------------------- staff console (console/)
CONSOLE_DEPS := console/node_modules/.package-lock.json
CONSOLE_SOURCES := $(shell find console/src console/index.html console/vite.config.ts console/tsconfig.json -type f 2>/dev/null)

# npm ci installs exactly the lockfile; nothing is fetched at runtime or from a CDN
$(CONSOLE_DEPS): console/package.json console/package-lock.json
	cd console && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

console/dist/index.html: $(CONSOLE_DEPS) $(CONSOLE_SOURCES)
	cd console && npx tsc --noEmit && npx vite build --logLevel warn

console: console/dist/index.html

console-unit-test: $(CONSOLE_DEPS)
	cd console && npx tsc --noEmit && npx vitest run

# real Chromium (Debian's) against the real local runtime on a free port; screenshots in console/target/
console-browser-test: console $(LOCAL_CLASSPATH) venv local-artifacts
	EPRO_ARTIFACTS="$(CURDIR)/$(LOCAL_ARTIFACTS)" infra/scripts/console-browser-test.sh

console-test: console-unit-test console-browser-test

STACK ?= openepro
console-deploy: console venv
	$(VENV)/bin/python infra/scripts/console_deploy.py $(STACK)

# ---------------------------------------------------------------- run locally
# what `make run` runs: each function's artifact (<LogicalId>/lib/*.jar), made by the build-<LogicalId>
# target `sam build` calls, for every function the template builds that way
LOCAL_ARTIFACTS := target/lambda-artifacts
# remade only when the function jars, the template (its functions) or their build targets changed: copying them through
# a sub-make per function took 10 s of every `make run` on a busy 2-core machine
LOCAL_ARTIFACTS_STAMP := $(LOCAL_ARTIFACTS)/.made

local-artifacts: venv $(LOCAL_ARTIFACTS_STAMP)

$(LOCAL_ARTIFACTS_STAMP): $(REACTOR_STAMP) template.yaml Makefile
	@rm -rf $(LOCAL_ARTIFACTS)
	@for fn in $$($(VENV)/bin/python infra/scripts/template_functions.py template.yaml); do \
		$(MAKE) --no-print-directory -s build-$$fn ARTIFACTS_DIR="$(CURDIR)/$(LOCAL_ARTIFACTS)/$$fn"; \
	done
	@touch $@

# plain java on the built classpath (no Maven JVM in between): Ctrl-C reaches the runtime itself, which
# starts each function's instances from $(LOCAL_ARTIFACTS) through the Lambda runtime client
run: venv $(LOCAL_CLASSPATH) console local-artifacts
	@EPRO_ARTIFACTS="$(CURDIR)/$(LOCAL_ARTIFACTS)" \
		java -cp "infra/lambda-runtime/target/classes:$$(cat $(LOCAL_CLASSPATH))" org.openepro.runtime.LocalRuntime

# stdout is the token and nothing else: TOKEN=$$(make token ROLE=patient ...)
token: $(LOCAL_CLASSPATH)
	@java -cp "infra/lambda-runtime/target/classes:$$(cat $(LOCAL_CLASSPATH))" org.openepro.runtime.TokenTool \
		"role=$(ROLE)" "study=$(STUDY)" "site=$(SITE)" "subject=$(SUBJECT)" "studies=$(STUDIES)" "roles=$(ROLES)"

demo: $(LOCAL_CLASSPATH)
	@java -cp "infra/lambda-runtime/target/classes:$$(cat $(LOCAL_CLASSPATH))" org.openepro.runtime.Demo

# ---------------------------------------------------------------- benchmarks
bench: venv build
	bench/run.sh

clean:
	$(MVN) -q clean
	rm -rf .aws-sam target console/dist console/target
