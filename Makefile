# Two commands for a newcomer: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
ARGS ?=
SIZES ?= 1000,10000,50000
OUT ?= bench/results.json
BENCH_ARGS ?=
PYTEST_ARGS ?=
FAULTS_OUT ?= bench/faults.json
FAULT_ARGS ?=

.PHONY: install run demo test browser bench faults privacy-eval clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

run: install
	$(VENV)/bin/changestories serve --port $(PORT) $(ARGS)

demo: install
	$(VENV)/bin/changestories demo

# Debian packages the tests need: Chromium (browser tests) and Caddy (deployment test). Installed
# as root or through sudo; otherwise a message says what to install and those tests skip.
DEBIAN_PACKAGES = chromium caddy

browser:
	@bash scripts/ensure-debian-packages.sh $(DEBIAN_PACKAGES)

test: install browser
	$(PY) -m pytest -q -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: install
	$(PY) -m bench.run --sizes $(SIZES) --out $(OUT) $(BENCH_ARGS)

# Concurrent writers (not part of `make test`): 20 processes x 200 submissions, 20 imports at
# once, a submission every 0.2 s during a 40,000-row import. FAULT_ARGS="--big 10000" etc.
faults: install
	$(PY) -m bench.faults --out $(FAULTS_OUT) $(FAULT_ARGS)

# Name detection: cross-validation on train, the UNER dev split (if ../shared is there), hard sentences.
privacy-eval: install
	$(PY) training/ner/evaluate.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
