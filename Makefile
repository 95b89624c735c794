# xxgk — two commands on a fresh machine: `make run` and `make test`.
CARGO ?= cargo
OUT ?= out
SAMPLE := data/sample

.PHONY: all build run summary summary-check test cargo-test load-test check fmt clippy score synth bench profile release-bins clean fuzz fuzz-smoke

all: build

build:
	$(CARGO) build --release --bin xxgk

# Builds and runs the pipeline on the embedded sample corpus. Exit code 1 only means some
# sample reports print totals that do not add up (the failed checks are in checks.parquet).
run: build
	./target/release/xxgk build $(SAMPLE) --out $(OUT); code=$$?; [ $$code -le 1 ] || exit $$code
	@echo "datasets written to $(OUT)/: reports.parquet, facts/report_year=*/, checks.parquet, run.json"

# Charts and tables of the sample build in one offline page: target/summary.html.
summary: run
	./target/release/xxgk summary $(OUT) --html target/summary.html

# Opens a summary page in headless Chromium: every chart drawn, no script error, a screenshot
# in target/tmp/summary-check.png. Prints SKIPPED and passes where chromium is not installed.
summary-check:
	$(CARGO) test --test it -- --ignored --nocapture summary::page_renders_in_headless_chromium

# cargo-test includes the hostile-corpus, kill-mid-run and determinism tests (tests/{hostile,kill}.rs,
# tests/it/determinism.rs) and the property tests and fuzz-target smoke (crates/xxgk-core/tests/props.rs).
test: cargo-test load-test

cargo-test:
	$(CARGO) test --workspace

# A researcher's load test: the sample build read with polars, pandas and DuckDB (types, row
# counts, hive partitions, the panel-to-reports join; scripts/load_test.py). It uses the debug
# binary cargo-test built: `cargo test --no-run` is a no-op after cargo-test, while `cargo build`
# resolves features without the dev-dependencies and compiles polars a second time (~1.5 min
# and 1.5 GB of target/); a release build would add ~8 minutes to CI.
VENV := .venv
LOAD_OUT := target/load-out
load-test: $(VENV)/.installed
	$(CARGO) test --workspace --no-run --quiet
	./target/debug/xxgk build $(SAMPLE) --out $(LOAD_OUT); code=$$?; [ $$code -le 1 ] || exit $$code
	$(VENV)/bin/python scripts/load_test.py $(LOAD_OUT)

# The stamp keeps the venv from being recreated; new pins in the requirements reinstall.
$(VENV)/.installed: scripts/requirements-load.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r scripts/requirements-load.txt
	touch $@

# The fuzz-target bodies on seeds and mutations of data/sample, on stable (seconds).
fuzz-smoke:
	$(CARGO) test -p xxgk-core --test props fuzz_smoke

# cargo-fuzz on the stable toolchain: make fuzz TARGET=html RUNS=10000000 [MAX_LEN=4096] [SECONDS=0]
# Needs `cargo install cargo-fuzz` once; crashes land in fuzz/artifacts/TARGET/.
TARGET ?= decode
RUNS ?= 10000000
MAX_LEN ?=
SECONDS ?= 0
fuzz:
	fuzz/run.sh $(TARGET) $(RUNS) "$(MAX_LEN)" $(SECONDS)

check: fmt clippy test

fmt:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# Scores a build with the Python scorer (needs `pip install polars`).
score: run
	python3 scripts/score.py $(OUT) tests/fixtures/expected

# A generated corpus with ground truth: make synth N=2000 SEED=1
N ?= 2000
SEED ?= 1
synth:
	$(CARGO) run --release -p xxgk-synth -- --out target/synth-$(SEED) --n $(N) --seed $(SEED)

# Throughput, scaling, memory, incremental rebuild and the pandas.read_html baseline; writes
# bench/results.json. BENCH_ARGS="--docs 2000 --big 0" for a quick look.
BENCH_VENV := target/venv-bench
BENCH_ARGS ?=
$(BENCH_VENV)/.ok: scripts/requirements-bench.txt
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q -r scripts/requirements-bench.txt
	touch $@

# Two builds: one workspace-wide build would unify features with the generator's and
# rebuild polars.
release-bins:
	$(CARGO) build --release --bin xxgk
	$(CARGO) build --release -p xxgk-synth

bench: $(BENCH_VENV)/.ok release-bins
	python3 scripts/bench.py --xxgk target/release/xxgk --synth target/release/synth \
		--python $(BENCH_VENV)/bin/python $(BENCH_ARGS)

# Instruction-level profile of one build over 300 generated documents (callgrind).
profile: release-bins
	./target/release/synth --out target/profile-corpus --n 300 --seed 11
	rm -rf target/profile-corpus/expected
	valgrind --tool=callgrind --callgrind-out-file=target/callgrind.out \
		./target/release/xxgk build target/profile-corpus --out target/profile-out --jobs 1 || true
	callgrind_annotate --inclusive=no target/callgrind.out | head -40

clean:
	rm -rf $(OUT) target/synth-*
