# make lab         set up .venv and open JupyterLab on the notebooks
# make test        set up .venv and run the whole suite (browser, Binder, Colab, Python 3.11-3.13)
# make test-fast   unit tests and nbval only: no browser, no app load tests, no other environments
# make app         serve the XOR playground as a standalone page (Voilà)
# make experiments run the original's two experiments into results/
# make notebooks   re-execute every notebook in place (after changing nnlib)
# make links       write the GitHub path (pyproject.toml's Repository URL) into every badge,
#                  Colab link and install cell: README and notebooks
# make bench       run the speed benchmarks
# make which-python  say which Python make would create .venv with

# Python: python3 when it is 3.11 or newer, otherwise the newest of python3.13,
# python3.12 and python3.11 that runs. `make PYTHON=/path/to/python3.x lab` picks one.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
	&& { echo $$p; break; }; done)
NO_PYTHON := This project needs Python 3.11 or newer, and found none: python3 is missing or \
older, and none of python3.13, python3.12, python3.11 runs. Install one (python.org, your \
package manager, or pyenv), then run make again; or name one: make PYTHON=/path/to/python3.12 lab
NEED_PYTHON = @test -n "$(PYTHON)" || { echo "$(NO_PYTHON)" >&2; exit 1; }

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Jupyter refuses to run as root (as in a container) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
# Send widget updates without Nagle's delay, for a smooth Play (nnlib/widgets/nodelay.py).
NODELAY := kernel_websocket_connection_class=nnlib.widgets.nodelay.NoDelayConnection

.PHONY: lab test test-fast app experiments notebooks links bench clean which-python

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(NEED_PYTHON)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

which-python:
	$(NEED_PYTHON)
	@echo "$(PYTHON): $$($(PYTHON) --version 2>&1)"

lab: $(STAMP)
	cd notebooks && ../$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.$(NODELAY) 01_forward_pass.ipynb

# Everything, as CI runs it. The environment tests (tests/test_environments.py) keep their
# venvs in .venv/envs/, one per set of requirements, so that a second run reuses them.
test: $(STAMP)
	$(BIN)/python -m pytest

# Unit tests and nbval, without the browser, the app's load tests and the other environments.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not server and not environments"

# Kernels with no page open are shut down after CULL_AFTER idle seconds; at most
# MAX_KERNELS run at once (default: as many as half the free memory holds).
CULL_AFTER ?= 60
MAX_KERNELS ?=
app: $(STAMP)
	$(BIN)/python app/serve.py --cull-after=$(CULL_AFTER) $(if $(MAX_KERNELS),--max-kernels=$(MAX_KERNELS)) \
		--port=8866 --no-browser --Voila.$(NODELAY) app/playground.ipynb

experiments: $(STAMP)
	mkdir -p results
	$(BIN)/python -m nnlib train --hidden 3 --lr 0.1 --epochs 10000 --seed 0 --plot results/xor_experiment.png
	$(BIN)/python -m nnlib sweep --hidden 2 4 8 16 --lr 0.1 --epochs 10000 --seed 0 --plot results/experiments.png

notebooks: $(STAMP)
	$(BIN)/python tests/execute_notebooks.py notebooks/*.ipynb

# Badges, Colab links and Colab install cells, from pyproject.toml's Repository URL.
# Change the path there (or: make links REPO=owner/name), then commit what this rewrites.
links: $(STAMP)
	$(BIN)/python tests/repository_links.py $(if $(REPO),--repo $(REPO))

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_training.py
	$(BIN)/python benchmarks/bench_batched.py
	$(BIN)/python benchmarks/bench_playground.py

clean:
	rm -rf $(VENV) results test-artifacts
