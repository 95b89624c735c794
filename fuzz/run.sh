#!/usr/bin/env bash
# Runs one cargo-fuzz target on the stable toolchain (RUSTC_BOOTSTRAP=1 unlocks the nightly
# flags cargo-fuzz passes), seeded with the sample reports copied at run time.
#   fuzz/run.sh TARGET [RUNS] [MAX_LEN] [SECONDS]
# TARGET: decode | html | text | numbers | extract. Crashes land in fuzz/artifacts/TARGET/.
# SECONDS (0: no limit) stops a run early; FUZZ_NO_BUILD=1 runs the binaries already built.
set -euo pipefail
target=${1:?target: decode html text numbers extract}
runs=${2:-10000000}
max_len=${3:-}
seconds=${4:-0}
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "$max_len" ]; then
  # 4 KB holds a report's header and a table or two; longer inputs mostly cost executions
  # (chardetng and html5ever are linear, so a bug needing length shows up in the smoke's seeds).
  # extract runs the whole pipeline per input: 512 bytes (~15 table lines) is ~1,000 exec/s.
  case $target in
    numbers) max_len=1024 ;; extract) max_len=512 ;; *) max_len=4096 ;;
  esac
fi
corpus=$here/corpus/$target
mkdir -p "$corpus" "$here/artifacts/$target"
cp -n "$here"/../data/sample/* "$corpus"/ 2>/dev/null || true
# libFuzzer cuts seeds to -max_len, which leaves a whole report its title only; extraction
# gets the reports cut into windows as well, so the tables are within reach of short inputs.
[ "$target" != extract ] || python3 "$here/seeds.py" --max-len "$max_len" --out "$corpus" "$here"/../data/sample/*
cd "$here"
# -s none: the code under test is safe Rust, so ASan adds cost without finding anything the
# panics and overflow checks (-a) do not.
[ -n "${FUZZ_NO_BUILD:-}" ] || RUSTC_BOOTSTRAP=1 cargo fuzz build -s none -a "$target"
exec nice -n 19 "$here/target/x86_64-unknown-linux-gnu/release/$target" "$corpus" \
  -artifact_prefix="$here/artifacts/$target/" -runs="$runs" -max_len="$max_len" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
