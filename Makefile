# course-rnn: `make book` builds the site, `make test` runs every check.
# Both create .venv (pinned by requirements/lock.txt) when it is missing or stale.

PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
MATHJAX_VERSION := 3.2.2
MATHJAX  := book/_static/mathjax/tex-chtml.js
WIDGETS_VERSION := 1.0.15
REQUIREJS_VERSION := 2.3.8
WIDGETS  := book/_static/widgets/embed-amd.js
CHAPTERS := $(sort $(wildcard chapters/*.ipynb))
MASTERS  := $(sort $(wildcard exercises/masters/*.ipynb))

# The same hash seed for every kernel: outputs are reproducible.
export PYTHONHASHSEED := 0
# One BLAS thread per process: make test runs two notebooks at once on two cores, and OpenBLAS threads
# spinning on a shared core made one NumPy LSTM forward+backward (N=32, T=50, H=128) 80 times slower
# (2.1 s against 27 ms, measured while another process kept both cores busy).
export OPENBLAS_NUM_THREADS := 1

# The course's budget: 60 s per chapter (chapters/conftest.py) on 2 cores, measured while nbval runs the chapter alone.
# Override to explore (CHAPTER_SECONDS_LIMIT=600 make test), never to pass.
CHAPTER_SECONDS_LIMIT ?= 60

.PHONY: venv book zh zh-site diagrams test unit notebooks exercises grade cache bench budgets retarget lock clean

venv: $(STAMP)

$(STAMP): requirements/lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# MathJax is served from the site itself: fetched once from the npm registry, copied into _static.
$(MATHJAX):
	mkdir -p .cache/npm book/_static/mathjax
	cd .cache/npm && npm pack --silent mathjax@$(MATHJAX_VERSION) >/dev/null
	tar -xzf .cache/npm/mathjax-$(MATHJAX_VERSION).tgz -C book/_static/mathjax --strip-components=2 package/es5
	test -f $@

# The ipywidgets embedder and RequireJS, so saved widget states render without a CDN.
$(WIDGETS):
	mkdir -p .cache/npm book/_static/widgets
	cd .cache/npm && npm pack --silent @jupyter-widgets/html-manager@$(WIDGETS_VERSION) requirejs@$(REQUIREJS_VERSION) >/dev/null
	tar -xzf .cache/npm/jupyter-widgets-html-manager-$(WIDGETS_VERSION).tgz -C book/_static/widgets --strip-components=2 package/dist
	tar -xzf .cache/npm/requirejs-$(REQUIREJS_VERSION).tgz -C book/_static/widgets --strip-components=1 package/require.js
	test -f $@

# The diagrams (course_rnn.diagrams) as SVG and their gallery page; make test checks they are current.
diagrams: $(STAMP)
	$(BIN)/python tools/build_diagrams.py

book: $(STAMP) $(MATHJAX) $(WIDGETS) diagrams
	$(BIN)/jupyter-book build . --warningiserror --keep-going --quiet
	$(MAKE) --no-print-directory zh
	@echo "The course is built: $(CURDIR)/_build/html/index.html (中文版: $(CURDIR)/_build/html/zh/index.html)"

# The Chinese edition: zh/ is generated from the English pages and locales/zh_CN/ (tools/i18n, README's
# "Translating"), built as its own book, and served as _build/html/zh/ beside the English site.
# Run after every change to the English pages: changed paragraphs turn fuzzy, zh/ is regenerated.
I18N = $(BIN)/python tools/i18n update && $(BIN)/python tools/i18n build

zh: $(STAMP) $(MATHJAX) $(WIDGETS)
	$(I18N)
	$(MAKE) --no-print-directory zh-site

zh-site: $(STAMP) $(MATHJAX) $(WIDGETS)
	mkdir -p _build/zh && $(BIN)/jupyter-book build zh --path-output _build/zh --warningiserror --keep-going --quiet \
	  2>_build/zh/stderr.log || { cat _build/zh/stderr.log; exit 1; }
	rm -rf _build/html/zh && mkdir -p _build/html && cp -r _build/zh/_build/html _build/html/zh

# The exercises rebuilt from clean (stale student files fail), unit tests (grading canned
# submissions included), strict nbval over every chapter (one at a time, so that each is timed alone on the
# machine's cores, as its budget is defined), then the
# site built with warnings as errors and checked, statically and in headless Chromium (skipped,
# loudly, where Chromium is missing); the browser tests leave screenshots in _build/screenshots/.
test: $(STAMP) $(MATHJAX) $(WIDGETS)
	rm -rf _build/exercises
	$(BIN)/python tools/build_exercises.py --check
	$(BIN)/python -m pytest -n 2 --dist loadscope tests
	rm -rf _build/budgets/nbval
	COURSE_BUDGET_SECONDS=$(CHAPTER_SECONDS_LIMIT) $(BIN)/python -m pytest --nbval --nbval-current-env --nbval-cell-timeout=300 chapters
	$(BIN)/python tools/budget_table.py
	rm -rf _build/html _build/screenshots
	$(BIN)/jupyter-book build . --warningiserror --keep-going --quiet
	$(MAKE) --no-print-directory zh-site
	$(BIN)/python -m pytest -rs site_tests
	@if command -v chromium >/dev/null || command -v chromium-browser >/dev/null || test -n "$$CHROMIUM"; then \
	  echo "Screenshots of the site for a human to look at: $(CURDIR)/_build/screenshots/"; \
	else \
	  echo "*** WARNING: Chromium not found: the browser tests (site_tests/test_browser.py) were SKIPPED. ***"; \
	  echo "*** Install Debian's chromium (as .ci/run does) to check the site in a browser.              ***"; \
	fi

unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadscope tests

# Re-execute every chapter in place, each in a fresh kernel of .venv. The masters are not run as notebooks:
# their hidden cells are declarations read by grader/spec.py; `make exercises` grades their solutions instead.
notebooks: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py $(CHAPTERS)
	$(I18N)

# Student notebooks (exercises/student/), public tests (package data), grading specs and Gradescope zips
# (_build/exercises/<set>/) from the masters; fails if a master's solutions fail in the grading sandbox.
exercises: $(STAMP)
	$(BIN)/python tools/build_exercises.py
	$(I18N)

# Grade every .ipynb in SUBMISSIONS, each in a bubblewrap sandbox (grader/); writes SUBMISSIONS/grades.csv.
grade: $(STAMP)
	@test -n "$(EX)" -a -n "$(SUBMISSIONS)" || { echo "usage: make grade EX=ex01_rnn SUBMISSIONS=path/to/folder"; exit 2; }
	$(BIN)/python tools/build_exercises.py --check $(EX)
	$(BIN)/python tools/grade.py $(EX) $(SUBMISSIONS)

# Regenerate the cached long experiments (minutes on 2 cores: see the README); commit the JSON files.
# CACHE_PARTS="copy agreement" regenerates only those parts of the long-range grid (and nothing else).
CACHE_PARTS ?=
cache: $(STAMP)
	$(BIN)/python -m course_rnn.experiments.grid $(CACHE_PARTS)
	test -n "$(CACHE_PARTS)" || $(BIN)/python -m course_rnn.experiments.gated
	test -n "$(CACHE_PARTS)" || $(BIN)/python -m course_rnn.experiments.remedies
	test -n "$(CACHE_PARTS)" || $(BIN)/python -m course_rnn.experiments.charlm
	test -n "$(CACHE_PARTS)" || $(BIN)/python -m course_rnn.experiments.tang
	test -n "$(CACHE_PARTS)" || $(BIN)/python -m course_rnn.experiments.translation

# Time one LSTM layer in NumPy, from-scratch torch and torch.nn (and on a GPU when there is one); writes
# _build/bench/bench_lstm.{md,csv}. Exits 1 when a speed target is missed (see benchmarks/bench_lstm.py).
# Uses every core: the BLAS thread limit above is lifted for it.
bench: $(STAMP)
	env -u OPENBLAS_NUM_THREADS $(BIN)/python benchmarks/bench_lstm.py

# Each chapter run alone in a fresh kernel: time and peak memory against the budget (_build/budgets/).
budgets: $(STAMP)
	$(BIN)/python tools/measure_chapters.py

# After changing repository.url in _config.yml: rewrite the chapters' setup cells to match.
retarget: $(STAMP)
	$(BIN)/python tools/retarget.py
	$(I18N)

# Regenerate the lock from the loose requirements (needs the network; commit the result).
lock:
	rm -rf .cache/lockenv && $(PYTHON) -m venv .cache/lockenv
	.cache/lockenv/bin/python -m pip install --quiet -r requirements/base.txt
	{ echo "# Exact versions for the book, the tests and Binder, resolved from requirements/base.txt by make lock."; \
	  echo "# torch==2.13.0 is the CPU build on the course machines; binder/requirements.txt asks for the +cpu wheel."; \
	  .cache/lockenv/bin/python -m pip freeze --exclude-editable | sed 's/^torch==\(.*\)+cpu$$/torch==\1/'; \
	} > requirements/lock.txt
	$(PYTHON) tools/binder_requirements.py

clean:
	rm -rf _build .cache book/_static/mathjax book/_static/widgets
