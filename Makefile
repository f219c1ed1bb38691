# Minqing — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
STAGE  ?= dev

.PHONY: install system test lint package cfn-lint run bench clean openapi secrets oa-menu

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ required"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

lint: install
	$(VENV)/bin/ruff check .

## package: build/$(STAGE)/sam.json + deployment.zip (Chalice output merged with infra/deploy/resources.json)
package: install
	$(PY) -m infra.deploy.package --stage $(STAGE) --out build/$(STAGE)

cfn-lint: package
	$(VENV)/bin/cfn-lint infra/deploy/resources.json build/$(STAGE)/sam.json

## system: what the browser tests (Debian's chromium) and the Node.js signing recipe need from the OS
system:
	@missing=""; test -x /usr/bin/chromium || missing="chromium fonts-noto-cjk"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing$${missing:+ }$$missing with apt-get"; \
	    { apt-get install -y -q $$missing >/dev/null 2>&1 || { apt-get update -q >/dev/null && \
	      apt-get install -y -q $$missing >/dev/null; }; } || { echo "apt-get could not install $$missing"; exit 1; }; \
	  else echo "make test needs$${missing:+ }$$missing: sudo apt-get install $$missing (then run make test again)"; exit 1; fi; \
	fi

test: lint cfn-lint system
	$(PY) -m pytest -n 2 --dist loadfile

## run: the whole product on loopback (moto :5000, API :8000, local world :8100)
run: install
	$(PY) -m infra.local

bench: install
	$(PY) -m infra.bench

## secrets: create every ssm:/secretsmanager: value STAGE names, once (FROM=credentials.json, STACK=name)
secrets: install
	$(PY) -m infra.ops.secrets --stage $(STAGE) $(if $(FROM),--from $(FROM)) $(if $(STACK),--stack $(STACK))

## oa-menu: install the official account's custom menu (STAGE=local: on the running local world)
oa-menu: install
	$(PY) -m infra.ops.oa_menu --stage $(if $(filter command line environment,$(origin STAGE)),$(STAGE),local)

## openapi: regenerate docs/openapi.json from the routes and models (a test fails while it is stale)
openapi: install
	$(PY) -m infra.ops.openapi

clean:
	rm -rf $(VENV) build .pytest_cache .chalice/deployments
