# xxgk — two commands on a fresh machine: `make run` and `make test`.
CARGO ?= cargo
OUT ?= out
SAMPLE := data/sample

.PHONY: all build run test check fmt clippy score synth clean fuzz fuzz-smoke

all: build

build:
	$(CARGO) build --release --bin xxgk

# Builds and runs the pipeline on the embedded sample corpus. Exit code 1 only means some
# sample reports print totals that do not add up (the failed checks are in checks.parquet).
run: build
	./target/release/xxgk build $(SAMPLE) --out $(OUT); code=$$?; [ $$code -le 1 ] || exit $$code
	@echo "datasets written to $(OUT)/: reports.parquet, facts/report_year=*/, checks.parquet, run.json"

# Includes the hostile-corpus, kill-mid-run and determinism tests (tests/{hostile,kill,
# determinism}.rs) and the property tests and fuzz-target smoke (crates/xxgk-core/tests/props.rs).
test:
	$(CARGO) test --workspace

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

clean:
	rm -rf $(OUT) target/synth-*
