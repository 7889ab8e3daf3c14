# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app facilitate
HOST   ?= 127.0.0.1
PORT   ?= 5000
CHROMIUM ?= /usr/bin/chromium
CATALOGS := $(wildcard facilitate/translations/*/LC_MESSAGES/messages.po)

.PHONY: run demo-exhibition demo-follow-up demo-reset test lint format translations extract-messages browser-deps pdf-deps clean

# Links printed by `demo` point at where this serves, unless FACILITATE_BASE_URL says otherwise.
run: export FACILITATE_BASE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed translations pdf-deps
	$(FLASK) init-db
	$(FLASK) demo
	$(FLASK) run --host $(HOST) --port $(PORT)

# The demo moved to the exhibition (vote open, ballots, feedback): to rehearse the vote and the reveal.
demo-exhibition: export FACILITATE_BASE_URL ?= http://$(HOST):$(PORT)
demo-exhibition: $(VENV)/.installed translations pdf-deps
	$(FLASK) demo-exhibition

# The demo months after the event (its days moved back, the vote revealed), with follow-up news.
demo-follow-up: export FACILITATE_BASE_URL ?= http://$(HOST):$(PORT)
demo-follow-up: $(VENV)/.installed translations pdf-deps
	$(FLASK) demo-follow-up

# Back to the middle of day 2 after a rehearsal: the demo event is deleted and loaded again.
demo-reset: export FACILITATE_BASE_URL ?= http://$(HOST):$(PORT)
demo-reset: $(VENV)/.installed translations pdf-deps
	$(FLASK) demo --reset

test: $(VENV)/.installed-test translations browser-deps pdf-deps
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create a virtual environment. On Debian: apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/bin/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

# Compiled catalogs are build products, not committed.
translations: $(CATALOGS:.po=.mo)

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy --statistics -i $< -o $@

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k lazy_pgettext:1c,2 -k trusted_gettext -k trusted_ngettext:1,2 --no-location --sort-output \
	  -o facilitate/translations/messages.pot .
	$(BIN)/pybabel update -i facilitate/translations/messages.pot -d facilitate/translations \
	  --no-fuzzy-matching --ignore-obsolete

# Browser tests drive Debian's Chromium; installed here when missing and we may.
browser-deps:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Chromium for the browser tests..."; \
	  apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium >/dev/null; \
	else \
	  echo "The browser tests need Chromium. Install it with: sudo apt-get install chromium"; exit 1; \
	fi

# The book of the challenges is laid out by WeasyPrint, which needs Pango (with HarfBuzz) and a
# font with accents; installed here when missing and we may.
PDF_LIBRARIES := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0
pdf-deps:
	@missing=0; for lib in $(PDF_LIBRARIES); do ldconfig -p | grep -q "$$lib" || missing=1; done; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing=1; \
	if [ $$missing = 0 ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Pango and fonts for the books' PDFs..."; \
	  apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; \
	else \
	  echo "The books need Pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"; exit 1; \
	fi

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
	find facilitate/translations -name '*.mo' -delete
