# Two commands do all set-up on a fresh machine (Python 3.11 and pip):
#   make book   - create the environment, then build the HTML book offline
#   make test   - create the environment, then run every test
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PROFILE ?= smoke
NOTEBOOKS := $(wildcard notebooks/*.md) $(filter-out labs/README.md,$(wildcard labs/*.md))

.PHONY: env book test execute sync repo-url check lock clean

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

test: $(INSTALLED)
	$(PY) -m pytest

# Re-execute every notebook in place in a profile, e.g. `make execute PROFILE=course`
# on a GPU to publish a course edition; the profile is recorded in each notebook.
execute: $(INSTALLED)
	$(PY) -m bertcourse.notebooks execute --profile $(PROFILE) $(NOTEBOOKS)

# Write each .ipynb from its .md after an edit (keeps outputs of unchanged cells).
sync: $(INSTALLED)
	$(PY) -m bertcourse.notebooks sync $(NOTEBOOKS)

# After changing repository.url in _config.yml (the one place it is set), point every
# notebook's Colab install cell at it.
repo-url: $(INSTALLED)
	$(PY) -m bertcourse.notebooks set-repo-url $(NOTEBOOKS)

check: $(INSTALLED)
	$(PY) -m bertcourse.notebooks check notebooks labs

lock: $(INSTALLED)
	@echo "edit the header of requirements.txt by hand; the pins come from the venv:"
	$(PY) -m pip freeze --exclude-editable | sed 's/+cpu$$//'

clean:
	rm -rf _build
