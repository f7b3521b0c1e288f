# Two commands do everything on a fresh machine:
#   make site   set up, check the sources, build every council's website and PDFs into site/
#   make test   set up, then run every test (browser and PDF-image tests included)
# and one more for developers:
#   make check  the fast run: every rule and every command, no browser, no PDF images, no whole-site builds
# Both create .venv/ and node_modules/ themselves. System packages (Chromium, poppler-utils) are installed
# with apt-get when running as root; otherwise the browser and PDF-image tests skip, loudly.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
CTKIT  := $(VENV)/bin/ctkit
STAMP  := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.test-installed-stamp
NODE_STAMP := node_modules/.installed-stamp
UV     := $(VENV)/bin/uv
# Chromium for the browser tests; poppler-utils (pdftoppm, pdffonts) and pdftk-java for the PDF tests.
APT_PACKAGES := chromium poppler-utils pdftk-java
# Material 9.7 prints a banner about MkDocs 2; the kit pins MkDocs 1.6.
export NO_MKDOCS_2_WARNING := 1

# Two workers, each given whole test files (a file's fixtures are built once), in the order conftest puts them:
# the files with the most browser and slow tests first (xdist would otherwise start the files with the most
# tests first, and the long browser files, which have few, last, side by side).
PYTEST := $(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder
FAST   := -m "not (browser or pdf or slow)"

.PHONY: site test check serve system-deps bench clean

# uv installs the packages (a fresh `make site` takes about half the time pip takes); pip only
# installs uv itself into the new venv. Bytecode is compiled at install, the kit's own (an editable install)
# included, so a run that may not write it (PYTHONDONTWRITEBYTECODE=1, a read-only container) starts as fast
# as a second run.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet 'uv>=0.5,<1'
	$(UV) pip install --quiet --compile-bytecode --python $(PY) -e .
	$(PY) -m compileall -q generator
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(UV) pip install --quiet --compile-bytecode --python $(PY) -e '.[test]'
	touch $(TEST_STAMP)

# pdf-lib and fontkit go into every site (the online application form); pdf.js reads PDFs in tests.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

system-deps:
	@if command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 \
	   && command -v pdftk >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing $(APT_PACKAGES) from Debian..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	else echo "NOTE: Chromium, poppler-utils or pdftk is missing and cannot be installed without root;"; \
	  echo "      browser and PDF-image tests will be SKIPPED (they never skip in CI)."; fi

check: $(TEST_STAMP) $(NODE_STAMP)
	$(PYTEST) $(FAST)

site: $(STAMP) $(NODE_STAMP)
	$(CTKIT) check --quiet
	$(CTKIT) build --all

serve: $(STAMP) $(NODE_STAMP)
	$(CTKIT) serve

test: $(TEST_STAMP) $(NODE_STAMP) system-deps
	$(PYTEST)

bench: $(TEST_STAMP) $(NODE_STAMP) system-deps
	$(PY) benchmarks/run.py

clean:
	rm -rf site site-drafts .pytest_cache
