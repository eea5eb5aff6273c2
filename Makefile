# midcycle: the author's interface. `make help` lists every target and variable.
# Each target runs the `midcycle` command (plugins/midcycle/cli.py), which
# works without make too.

# Every path starts from this file's folder, so `make -f path/to/Makefile`
# works from any folder.
ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

PY ?= python3
VENV := $(ROOT)/.venv
BIN := $(VENV)/bin
MIDCYCLE := $(BIN)/midcycle
# The versions the tests passed with (`make constraints` writes it): the
# output's bytes depend on Markdown's, Pygments' and feedgen's.
CONSTRAINTS := $(ROOT)/constraints.txt
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS)
# What building needs, and the test tools on top of it.
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

INPUTDIR ?= $(ROOT)/content
OUTPUTDIR ?= $(ROOT)/output
# The drafts preview (make devserver, make html DRAFTS=1): never output/.
PREVIEWDIR ?= $(ROOT)/preview
# What make publish builds and make upload sends: its own folder, so a
# local build in between changes nothing there and rsync sends only news.
PUBLISHDIR ?= $(ROOT)/public
CONFFILE ?= $(ROOT)/pelicanconf.py
PUBLISHCONF ?= $(ROOT)/publishconf.py
PORT ?= 8000
BIND ?= 127.0.0.1

# Where `make upload` copies the site to: user@host:/path/ (rsync over ssh).
PUBLISH_TARGET ?=

# Settings to override, as KEY=VALUE pairs (a JSON value, or else text):
# SETTINGS='DEFAULT_PAGINATION=2 SITENAME="My blog"'. Pelican keeps only
# its last -e option, so they are all passed in one.
SETTINGS ?=
OVERRIDES := $(SETTINGS)
ifdef SITEURL
OVERRIDES += 'SITEURL="$(SITEURL)"'
endif
# Other pelican options, e.g. PELICANOPTS=-v
PELICANOPTS ?=
PELICAN_ARGS := $(PELICANOPTS) $(if $(strip $(OVERRIDES)),-e $(OVERRIDES))
# DRAFTS=1: make html builds the drafts preview instead, into PREVIEWDIR.
DRAFTS ?=
# The dev server's site address follows BIND and PORT unless SITEURL is given.
PREVIEW_ARGS := $(PELICANOPTS) -e $(OVERRIDES) $(if $(SITEURL),,'SITEURL="http://$(BIND):$(PORT)"')
# ADOPT_OUTPUT=1: the output folder holds files midcycle did not make, and
# they are the site's to replace or remove (README: "What midcycle refuses").
ADOPT_OUTPUT ?=
ADOPT := $(if $(ADOPT_OUTPUT),--adopt-output)

# $(call quote,VALUE): VALUE as one shell word, whatever quotes it holds.
quote = '$(subst ','\'',$(1))'

# "1" if $(1) runs a Python midcycle supports.
SUPPORTED = import sys; sys.exit(sys.version_info < (3, 11))
python_ok = $(shell $(1) -c '$(SUPPORTED)' 2>/dev/null && echo 1)

.PHONY: help html serve devserver publish upload init newpost import test constraints bench \
	bench-related clean venv-broken

help:
	@echo 'make html                build content/ into output/ (a failed build changes nothing;'
	@echo '                         DRAFTS=1: the drafts preview, into preview/)'
	@echo '                         ADOPT_OUTPUT=1: the output folder holds files midcycle did not make,'
	@echo '                         and they are the site'"'"'s to replace or remove (html and publish)'
	@echo 'make serve               serve output/ as built on http://$(BIND):$(PORT)/ (PORT=, BIND= change it)'
	@echo 'make devserver           build drafts too into preview/, serve it, build again and reload the'
	@echo '                         open page on every change (PORT=, BIND=)'
	@echo 'make publish             build public/ with publishconf.py (the public SITEURL), tell the WebSub hub'
	@echo 'make upload              build public/, rsync it to PUBLISH_TARGET=user@host:/var/www/blog/,'
	@echo '                         then tell the WebSub hub'
	@echo 'make init                make the blog yours: SITENAME="..." AUTHOR="..." TIMEZONE=Area/City'
	@echo '                         SITEURL=https://... (asks for what is missing in a terminal)'
	@echo 'make newpost             start a post: DIR=openstack/juno TITLE="..." [TAGS="a, b"]'
	@echo 'make import              move a PyBlosxom blog over: SRC=<datadir> [DEST=content]'
	@echo '                         [COMMENTS=<comment folder>] [IMPORTOPTS=--dry-run]'
	@echo 'make test                run the tests (installs the test tools; PYTESTOPTS=-x, say)'
	@echo 'make constraints         write constraints.txt from the versions installed (after make test)'
	@echo 'make bench               time midcycle against plain Pelican: [N=10000] [RUNS=3] [REV=<commit>]'
	@echo '                         [PEERS=none] (midcycle alone) [ONLY=cold,noop,...] (see bench/bench.py -h)'
	@echo 'make bench-related       time related posts for 10,000 posts'
	@echo 'make clean               remove output/, preview/, public/ (each only if midcycle built it)'
	@echo '                         and the caches'
	@echo
	@echo 'Variables for html, publish and devserver:'
	@echo '  INPUTDIR=$(INPUTDIR)  OUTPUTDIR=$(OUTPUTDIR)'
	@echo '  PREVIEWDIR=$(PREVIEWDIR)  PUBLISHDIR=$(PUBLISHDIR)  DRAFTS=1'
	@echo '  SITEURL=http://localhost:9000   the address to build for'
	@echo '  SETTINGS='"'"'DEFAULT_PAGINATION=5 SITENAME="My blog"'"'"'   any setting, KEY=VALUE pairs'
	@echo '  CONFFILE=$(CONFFILE)  PUBLISHCONF=$(PUBLISHCONF)'
	@echo '  PELICANOPTS=-q   other pelican options'
	@echo '  PY=$(PY)   the Python that makes .venv (3.11 or newer)'

# The virtual environment holds what building needs; it is made on first
# use with $(PY) (checked first) and brought up to date when the project's
# dependencies change. One made by a Python that is gone or too old (a first
# try with an old one, say) is made again.
ifneq ($(wildcard $(VENV)),)
ifneq ($(call python_ok,$(BIN)/python),1)
$(STAMP): venv-broken
endif
endif

venv-broken:
	@echo "make: $(VENV) was made by a Python that is missing or older than 3.11; making it again" >&2

$(STAMP): $(ROOT)/pyproject.toml $(CONSTRAINTS)
	@$(PY) -c '$(SUPPORTED)' 2>/dev/null || { echo "make: midcycle needs Python 3.11 or newer, and $(PY) is" \
	    "$$($(PY) --version 2>&1 | head -n 1 || true); install one and run make PY=python3.12 (say)" >&2; exit 1; }
	@if [ -e $(VENV) ] && ! $(BIN)/python -c '$(SUPPORTED)' 2>/dev/null; then rm -rf $(VENV); fi
	@[ -x $(BIN)/python ] || $(PY) -m venv $(VENV) || { rm -rf $(VENV); \
	    echo "make: $(PY) could not make $(VENV) (on Debian and Ubuntu: apt install python3-venv)" >&2; exit 1; }
	$(PIP) --upgrade pip
	$(PIP) -e $(ROOT)
	@touch $@

$(TEST_STAMP): $(STAMP)
	$(PIP) -e '$(ROOT)[test]'
	@touch $@

html: $(STAMP)
ifeq ($(DRAFTS),)
	$(MIDCYCLE) build $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) $(ADOPT) $(PELICAN_ARGS)
else
	$(MIDCYCLE) build $(INPUTDIR) -o $(PREVIEWDIR) -s $(CONFFILE) $(ADOPT) $(PELICANOPTS) -e $(OVERRIDES) \
	    'MIDCYCLE_DRAFTS=true'
endif

serve: $(STAMP)
	$(MIDCYCLE) serve --static -o $(OUTPUTDIR) --port $(PORT) --bind $(BIND)

devserver: $(STAMP)
	$(MIDCYCLE) serve $(INPUTDIR) -o $(PREVIEWDIR) -s $(CONFFILE) --bind $(BIND) --port $(PORT) $(PREVIEW_ARGS)

# A WebSub hub (WEBSUB_HUB in publishconf.py) hears of the feeds a publish
# changed once they are where readers fetch them: after the build for
# `make publish`, after rsync for `make upload`.
PUBLISH_BUILD = $(MIDCYCLE) build $(INPUTDIR) -o $(PUBLISHDIR) -s $(PUBLISHCONF) $(ADOPT) $(PELICAN_ARGS)
NOTIFY_HUB = $(MIDCYCLE) notify $(PUBLISHDIR)

publish: $(STAMP)
	$(PUBLISH_BUILD)
	$(NOTIFY_HUB)

upload: $(STAMP)
	@test -n "$(PUBLISH_TARGET)" || { echo "make upload: set PUBLISH_TARGET=user@host:/path/" >&2; exit 2; }
	$(PUBLISH_BUILD)
	rsync -rlptvz --delete --delay-updates --exclude=/.midcycle/ $(PUBLISHDIR)/ $(PUBLISH_TARGET)
	$(NOTIFY_HUB)

init: $(STAMP)
	$(MIDCYCLE) init --settings $(CONFFILE) --publish-settings $(PUBLISHCONF) --content $(INPUTDIR) \
	    $(if $(SITENAME),--sitename $(call quote,$(SITENAME))) $(if $(AUTHOR),--author $(call quote,$(AUTHOR))) \
	    $(if $(TIMEZONE),--timezone $(call quote,$(TIMEZONE))) $(if $(SITEURL),--siteurl $(call quote,$(SITEURL)))

newpost: $(STAMP)
	$(MIDCYCLE) new --settings $(CONFFILE) --content $(INPUTDIR) --dir $(call quote,$(DIR)) \
	    --title $(call quote,$(TITLE)) --tags $(call quote,$(TAGS))

# Where `make import` writes; COMMENTS defaults to <SRC>/comments.
DEST ?= $(INPUTDIR)
IMPORTOPTS ?=

import: $(STAMP)
	@test -n "$(SRC)" || { echo "make import: set SRC=<pyblosxom datadir>" >&2; exit 2; }
	$(MIDCYCLE) import $(call quote,$(SRC)) $(call quote,$(DEST)) --settings $(CONFFILE) \
	    $(if $(COMMENTS),--comments $(call quote,$(COMMENTS))) $(IMPORTOPTS)

# The checkers the tests run on built pages (the Nu Html Checker, axe-core),
# from npm into tests/tools/node_modules; without npm those tests are skipped.
TOOLS := $(ROOT)/tests/tools/node_modules/.installed

$(TOOLS): $(ROOT)/tests/tools/package.json $(ROOT)/tests/tools/package-lock.json
	@if command -v npm >/dev/null; then \
		cd $(ROOT)/tests/tools && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "make test: npm not found; the HTML and accessibility checks will be skipped"; fi

test: $(TEST_STAMP) $(TOOLS)
	cd $(ROOT) && $(BIN)/python -m pytest $(PYTESTOPTS)

constraints: $(TEST_STAMP)
	{ echo '# The versions `make test` passed with; every pip install in the Makefile uses them.'; \
	  echo '# Written by `make constraints`.'; \
	  $(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check; } > $(CONSTRAINTS)

# The benchmark of issues 7, 12, 13 and 17: N synthetic posts, each scenario
# RUNS times, against plain Pelican unless PEERS=none; ONLY= names the
# scenarios to run (ONLY=cold for one 100,000-post cold build). The table
# replaces the section for N in bench/RESULTS.md (committed, quoted by the
# docs) and, with the raw timings, goes to bench/results/ (one file per run).
# REV=HEAD measures that commit's project instead of the working tree.
N ?= 10000
RUNS ?= 3
PEERS ?= pelican
ONLY ?=
REV ?=

bench: $(STAMP)
	cd $(ROOT) && $(BIN)/python bench/bench.py --posts $(N) --runs $(RUNS) --peers $(PEERS) \
	    $(if $(ONLY),--only $(ONLY)) $(if $(REV),--rev $(REV)) --out bench/results --table bench/RESULTS.md

bench-related: $(STAMP)
	cd $(ROOT) && $(BIN)/python bench/related_bench.py

# Only folders midcycle built (they hold .midcycle/files.json) are removed.
clean:
	@for folder in $(call quote,$(OUTPUTDIR)) $(call quote,$(PREVIEWDIR)) $(call quote,$(PUBLISHDIR)); do \
	    if [ -e "$$folder" ] && [ ! -e "$$folder/.midcycle/files.json" ]; then \
	        echo "make clean: $$folder was not built by midcycle; not removing it" >&2; exit 2; fi; done
	rm -rf $(call quote,$(OUTPUTDIR)) $(call quote,$(PREVIEWDIR)) $(call quote,$(PUBLISHDIR)) \
	    $(ROOT)/cache $(ROOT)/.pytest_cache
