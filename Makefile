# midcycle: the author's interface. Run `make help` for the targets.

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

INPUTDIR ?= $(CURDIR)/content
OUTPUTDIR ?= $(CURDIR)/output
# The drafts preview (make devserver, make html DRAFTS=1): never output/.
PREVIEWDIR ?= $(CURDIR)/preview
# What make publish builds and make upload sends: its own folder, so a
# local build in between changes nothing there and rsync sends only news.
PUBLISHDIR ?= $(CURDIR)/public
CONFFILE := $(CURDIR)/pelicanconf.py
PUBLISHCONF := $(CURDIR)/publishconf.py
PORT ?= 8000
BIND ?= 127.0.0.1

# Where `make publish` uploads to: user@host:/path/ (rsync over ssh).
PUBLISH_TARGET ?=

# Settings to override, as KEY=JSON pairs: SETTINGS='DEFAULT_PAGINATION=2'.
# Pelican keeps only its last -e option, so they are all passed in one.
SETTINGS ?=
OVERRIDES := $(SETTINGS)
ifdef SITEURL
OVERRIDES += 'SITEURL="$(SITEURL)"'
endif
# Other pelican options, e.g. PELICANOPTS=-v
PELICANOPTS ?=
PELICAN_ARGS := $(PELICANOPTS) $(if $(strip $(OVERRIDES)),-e $(OVERRIDES))
# DRAFTS=1: make html builds the drafts preview instead (into PREVIEWDIR).
DRAFTS ?=
# The dev server's site address follows BIND and PORT unless SITEURL is given.
PREVIEW_ARGS := $(PELICANOPTS) -e $(OVERRIDES) $(if $(SITEURL),,'SITEURL="http://$(BIND):$(PORT)"')

.PHONY: help html serve devserver publish upload test bench bench-related clean newpost import

help:
	@echo 'make html                      build content/ into output/'
	@echo 'make html INPUTDIR=.. OUTPUTDIR=.. SITEURL=..   build any content tree'
	@echo 'make serve                     serve output/ on http://$(BIND):$(PORT)/'
	@echo 'make devserver                 build drafts too into preview/, serve it, rebuild and reload on every change'
	@echo 'make publish                   build with publishconf.py (absolute SITEURL)'
	@echo 'make upload PUBLISH_TARGET=user@host:/var/www/blog/   publish, then rsync'
	@echo 'make newpost DIR=openstack/juno TITLE="..."           start a post'
	@echo 'make import SRC=<pyblosxom datadir> [DEST=content] [COMMENTS=<dir>]  move a PyBlosxom blog over'
	@echo 'make test                      run the tests'
	@echo 'make bench [N=10000] [RUNS=3]  time midcycle against plain Pelican; writes bench/RESULTS.md'
	@echo 'make bench-related             time related posts for 10,000 posts'
	@echo 'make clean                     remove output/ and caches'

# The virtual environment is made on first use and refreshed when the
# project's dependencies change.
$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

html: $(STAMP)
ifeq ($(DRAFTS),)
	$(BIN)/python -m midcycle.build $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) $(PELICAN_ARGS)
else
	$(BIN)/python -m midcycle.build $(INPUTDIR) -o $(PREVIEWDIR) -s $(CONFFILE) $(PELICANOPTS) -e $(OVERRIDES) 'MIDCYCLE_DRAFTS=true'
endif

serve: $(STAMP)
	$(BIN)/pelican -l $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) -b $(BIND) -p $(PORT)

devserver: $(STAMP)
	$(BIN)/python -m midcycle.server $(INPUTDIR) -o $(PREVIEWDIR) -s $(CONFFILE) -b $(BIND) -p $(PORT) $(PREVIEW_ARGS)

publish: $(STAMP)
	$(BIN)/python -m midcycle.build $(INPUTDIR) -o $(PUBLISHDIR) -s $(PUBLISHCONF) $(PELICAN_ARGS)

upload: publish
	@test -n "$(PUBLISH_TARGET)" || { echo "make upload: set PUBLISH_TARGET=user@host:/path/" >&2; exit 2; }
	rsync -rlptvz --delete --delay-updates $(PUBLISHDIR)/ $(PUBLISH_TARGET)

newpost: $(STAMP)
	$(BIN)/python -m midcycle.tools.newpost --settings $(CONFFILE) --content $(INPUTDIR) --dir "$(DIR)" --title "$(TITLE)" --tags "$(TAGS)"

# Where `make import` writes; COMMENTS defaults to <SRC>/comments.
DEST ?= $(INPUTDIR)
IMPORTOPTS ?=

import: $(STAMP)
	@test -n "$(SRC)" || { echo "make import: set SRC=<pyblosxom datadir>" >&2; exit 2; }
	$(BIN)/midcycle-import "$(SRC)" "$(DEST)" --settings "$(CONFFILE)" $(if $(COMMENTS),--comments "$(COMMENTS)") $(IMPORTOPTS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTESTOPTS)

# Issue 7's benchmark: N synthetic posts, each scenario RUNS times; the
# table goes to bench/RESULTS.md (committed, quoted by the README) and,
# with the raw timings, to bench/results/ (one file per run). REV=HEAD
# measures that commit's plugin and theme instead of the working tree.
N ?= 10000
RUNS ?= 3
REV ?=

bench: $(STAMP)
	$(BIN)/python bench/bench.py --posts $(N) --runs $(RUNS) $(if $(REV),--rev $(REV)) --out bench/results --table bench/RESULTS.md

bench-related: $(STAMP)
	$(BIN)/python bench/related_bench.py

clean:
	rm -rf $(OUTPUTDIR) $(PREVIEWDIR) $(PUBLISHDIR) cache .pytest_cache
