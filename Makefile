# xxgk — two commands on a fresh machine: `make run` and `make test`.
CARGO ?= cargo
OUT ?= out
SAMPLE := data/sample

.PHONY: all build run summary summary-check test check fmt clippy score synth clean

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
	$(CARGO) test --test summary -- --ignored --nocapture page_renders_in_headless_chromium

test:
	$(CARGO) test --workspace

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
