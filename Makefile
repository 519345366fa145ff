# make lab   set up .venv and open JupyterLab on the notebooks
# make test  set up .venv and run the whole suite
# make app   serve the XOR playground as a standalone page (Voilà)
# make experiments   run the original's two experiments into results/
# make notebooks     re-execute every notebook in place (after changing nnlib)
# make bench         run the speed benchmarks

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Jupyter refuses to run as root (as in a container) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
# Send widget updates without Nagle's delay, for a smooth Play (nnlib/widgets/nodelay.py).
NODELAY := kernel_websocket_connection_class=nnlib.widgets.nodelay.NoDelayConnection

.PHONY: lab test app experiments notebooks bench clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

lab: $(STAMP)
	cd notebooks && ../$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.$(NODELAY) 01_forward_pass.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest

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

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_training.py
	$(BIN)/python benchmarks/bench_batched.py
	$(BIN)/python benchmarks/bench_playground.py

clean:
	rm -rf $(VENV) results test-artifacts
