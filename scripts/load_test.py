#!/usr/bin/env python3
"""A researcher's load test of an `xxgk build` output directory.

Loads every dataset with polars, pandas (pyarrow engine) and DuckDB, the way the README tells
researchers to, and checks the contract of ../shared/spec/DATASETS.md:

- every contract column is there with its type in each library (u64 stays unsigned, dates are
  dates, warnings a list of strings ...);
- the three libraries count the same rows, and the counts agree with run.json;
- facts' hive partition column report_year is recovered from the facts/report_year=Y
  directories and agrees with reports.report_year of each fact's report;
- panel.parquet exists (it is part of the contract), has one row per division_code, issuer and
  report_year, and every panel row joins its report (report_id) with the same issuer and year.

Usage: load_test.py OUT [--allow-missing-panel]. Exit code 0 if every check holds, 1 otherwise;
the last line reads 'load-test: N passed, M failed'.
"""

import argparse
import json
import sys
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa


def pa_is_str(t):
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)


def pa_is_str_list(t):
    is_list = pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_list_view(t)
    return is_list and pa_is_str(t.value_type)


# Logical type of DATASETS.md -> (polars dtype, test of a pyarrow type, DuckDB type name).
TYPES = {
    "str": (pl.String, pa_is_str, "VARCHAR"),
    "u64": (pl.UInt64, pa.types.is_uint64, "UBIGINT"),
    "u32": (pl.UInt32, pa.types.is_uint32, "UINTEGER"),
    "i32": (pl.Int32, pa.types.is_int32, "INTEGER"),
    "f64": (pl.Float64, pa.types.is_float64, "DOUBLE"),
    "bool": (pl.Boolean, pa.types.is_boolean, "BOOLEAN"),
    "date": (pl.Date, pa.types.is_date32, "DATE"),
    "list[str]": (pl.List(pl.String), pa_is_str_list, "VARCHAR[]"),
}

STR_COLUMNS = lambda *names: {n: "str" for n in names}  # noqa: E731

REPORTS = {
    **STR_COLUMNS("report_id", "source_path", "source_format"),
    "bytes": "u64",
    **STR_COLUMNS("encoding", "script"),
    "mojibake_repaired": "bool",
    **STR_COLUMNS("title", "issuer", "issuer_kind", "province", "city", "county", "division_code"),
    "report_year": "i32",
    "published_date": "date",
    **STR_COLUMNS("template", "status", "status_detail"),
    "n_facts": "u32",
    "n_failed_checks": "u32",
    "warnings": "list[str]",
}

# The files' own columns; report_year comes from the partition directories.
FACTS = {
    **STR_COLUMNS("report_id", "division_code", "table", "row_key", "col_key"),
    "value": "f64",
    **STR_COLUMNS("raw_row_label", "raw_col_label", "raw_value"),
}

CHECKS = {"report_id": "str", "check_id": "str", "lhs": "f64", "rhs": "f64", "passed": "bool"}
CONTINUITY = {
    "report_id": "str", "previous_report_id": "str", "issuer": "str", "division_code": "str",
    "report_year": "i32", "check_id": "str", "lhs": "f64", "rhs": "f64", "passed": "bool",
}

MEASURES = [
    "applications_received", "carried_over", "processed", "granted", "partially_granted", "denied",
    "unavailable", "not_processed", "other_processed", "carried_forward", "reviews",
    "reviews_corrected", "lawsuits", "lawsuits_corrected",
]
PANEL = {
    **STR_COLUMNS("division_code", "issuer", "issuer_kind", "admin_level", "province", "city", "county"),
    "report_year": "i32",
    **STR_COLUMNS("template", "report_id", "source_path"),
    "n_copies": "u32",
    **{m: "f64" for m in MEASURES},
    **{r: "f64" for r in ["grant_rate", "denial_rate", "correction_rate"]},
}
# Columns named by pattern: whichever measures the panel derives them for.
PANEL_PREFIXES = {"prev_": "f64", "yoy_": "f64", "rank_": "u32"}


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = []

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed.append(what)
            print(f"FAIL {what}", file=sys.stderr)
        return ok


def sql_str(path):
    return "'" + str(path).replace("'", "''") + "'"


def scalar(con, query):
    return con.execute(query).fetchall()[0][0]


def load(out):
    """Each dataset in each library: {name: {lib: frame}}; panel only if the file exists."""
    con = duckdb.connect()
    paths = {name: out / f"{name}.parquet" for name in ["reports", "checks", "panel", "continuity"]}
    data = {}
    for name, path in paths.items():
        if not path.exists():
            continue
        data[name] = {
            "polars": pl.read_parquet(path),
            "pandas": pd.read_parquet(path, engine="pyarrow", dtype_backend="pyarrow"),
            "duckdb": con.sql(f"SELECT * FROM read_parquet({sql_str(path)})"),
        }
    data["facts"] = {
        "polars": pl.scan_parquet(out / "facts" / "**" / "*.parquet", hive_partitioning=True).collect(),
        "pandas": pd.read_parquet(out / "facts", engine="pyarrow", partitioning="hive", dtype_backend="pyarrow"),
        "duckdb": con.sql(f"SELECT * FROM read_parquet({sql_str(out / 'facts' / '*' / '*.parquet')}, hive_partitioning = true)"),
    }
    return con, data


def types_of(lib, frame):
    """Column name -> the library's own type object (DuckDB: type name)."""
    if lib == "polars":
        return dict(frame.schema)
    if lib == "pandas":
        return {c: frame[c].dtype.pyarrow_dtype for c in frame.columns}
    return {c: str(t) for c, t in zip(frame.columns, frame.types)}


def type_ok(lib, logical, actual):
    pl_type, pa_test, duck = TYPES[logical]
    if lib == "polars":
        return actual == pl_type
    if lib == "pandas":
        return pa_test(actual)
    return actual == duck


def check_schema(r, name, lib, frame, schema, prefixes=None):
    actual = types_of(lib, frame)
    for col, logical in schema.items():
        if r.check(col in actual, f"{name} ({lib}): column {col} missing"):
            r.check(type_ok(lib, logical, actual[col]), f"{name} ({lib}): {col} is {actual[col]}, want {logical}")
    for prefix, logical in (prefixes or {}).items():
        for col in (c for c in actual if c.startswith(prefix)):
            r.check(type_ok(lib, logical, actual[col]), f"{name} ({lib}): {col} is {actual[col]}, want {logical}")


def height(lib, frame):
    return frame.height if lib == "polars" else len(frame) if lib == "pandas" else frame.shape[0]


def check_counts(r, data, run):
    counts = run.get("counts", {})
    for name, frames in data.items():
        heights = {lib: height(lib, f) for lib, f in frames.items()}
        r.check(len(set(heights.values())) == 1, f"{name}: row counts differ between libraries: {heights}")
    want = {"reports": counts.get("documents"), "facts": counts.get("facts"), "panel": counts.get("panel_rows")}
    for name, n in want.items():
        if n is not None and name in data:
            got = data[name]["polars"].height
            r.check(got == n, f"{name}: {got} rows, run.json counts {n}")
    checks = data["checks"]["polars"]
    own_failed = checks.filter(~pl.col("passed")).height
    r.check(own_failed == counts.get("failed_checks"), f"checks: {own_failed} failing, run.json failed_checks {counts.get('failed_checks')}")
    per_report = data["reports"]["polars"]["n_failed_checks"].sum()
    r.check(per_report == own_failed, f"reports: n_failed_checks sums to {per_report}, checks.parquet has {own_failed} failing")
    # Cross-year checks compare two reports: continuity.parquet, counted apart in run.json.
    cross = checks.filter(pl.col("check_id").str.contains(".continuity.", literal=True)).height
    r.check(cross == 0, f"checks.parquet holds {cross} cross-year rows (they belong in continuity.parquet)")
    if "continuity" in data:
        cont = data["continuity"]["polars"]
        for key, n in [("continuity_checks", cont.height), ("continuity_failed", cont.filter(~pl.col("passed")).height)]:
            r.check(n == counts.get(key), f"continuity: {n} {key}, run.json {counts.get(key)}")
        ids = set(data["reports"]["polars"]["report_id"].to_list())
        for c in ["report_id", "previous_report_id"]:
            unknown = [i for i in cont[c].to_list() if i not in ids]
            r.check(not unknown, f"continuity: {c} not in reports: {unknown[:3]}")


def partition_years(out):
    years = set()
    for d in (out / "facts").iterdir():
        if d.is_dir() and d.name.startswith("report_year="):
            value = d.name.split("=", 1)[1]
            years.add(None if value == "__HIVE_DEFAULT_PARTITION__" else int(value))
    return years


def check_hive(r, con, out, data):
    want = partition_years(out)
    facts = data["facts"]
    r.check(facts["polars"]["report_year"].dtype.is_integer(), f"facts (polars): hive report_year is {facts['polars']['report_year'].dtype}")
    pd_type = facts["pandas"]["report_year"].dtype.pyarrow_dtype
    pd_int = pa.types.is_integer(pd_type.value_type if pa.types.is_dictionary(pd_type) else pd_type)
    r.check(pd_int, f"facts (pandas): hive report_year is {pd_type}")
    duck_type = types_of("duckdb", facts["duckdb"]).get("report_year")
    r.check(duck_type in ("INTEGER", "BIGINT"), f"facts (duckdb): hive report_year is {duck_type}")
    got = {
        "polars": set(facts["polars"]["report_year"].unique().to_list()),
        "pandas": {None if pd.isna(y) else int(y) for y in facts["pandas"]["report_year"].astype("object").unique()},
        "duckdb": {row[0] for row in con.execute("SELECT DISTINCT report_year FROM facts_view").fetchall()},
    }
    for lib, years in got.items():
        r.check(years == want, f"facts ({lib}): partition years {sorted(years, key=str)}, directories {sorted(want, key=str)}")
    bad = scalar(
        con,
        "SELECT count(*) FROM facts_view f LEFT JOIN reports_view r USING (report_id) "
        "WHERE r.report_id IS NULL OR f.report_year IS DISTINCT FROM r.report_year",
    )
    r.check(bad == 0, f"facts: {bad} rows whose report is missing or has another report_year (duckdb)")


def check_panel(r, con, out, data):
    panel = data["panel"]
    keys = ["division_code", "issuer", "report_year"]
    dup = panel["polars"].group_by(keys).len().filter(pl.col("len") > 1).height
    r.check(dup == 0, f"panel: {dup} (division_code, issuer, report_year) keys with more than one row")
    reports = data["reports"]
    joined = panel["polars"].join(reports["polars"], on="report_id", how="left", suffix="_r", coalesce=False)
    lost = joined.filter(pl.col("report_id_r").is_null()).height
    r.check(lost == 0, f"panel (polars): {lost} rows whose report_id is not in reports")
    for col in ["issuer", "report_year"]:
        differ = joined.filter(pl.col("report_id_r").is_not_null() & ~pl.col(col).eq_missing(pl.col(f"{col}_r"))).height
        r.check(differ == 0, f"panel (polars): {differ} rows whose {col} differs from their report's")
    # pandas 3 cannot merge on the string_view keys the pyarrow backend gives (NotImplementedError),
    # so the join uses pandas' default dtypes, as most researchers' code does.
    cols = ["report_id", "issuer", "report_year"]
    left, right = (pd.read_parquet(out / f, engine="pyarrow", columns=cols) for f in ["panel.parquet", "reports.parquet"])
    merged = left.merge(right, on="report_id", how="left", suffixes=("", "_r"), indicator=True)
    lost = int((merged["_merge"] != "both").sum())
    r.check(lost == 0, f"panel (pandas): {lost} rows whose report_id is not in reports")
    found = merged[merged["_merge"] == "both"]
    for col, as_type in [("issuer", "str"), ("report_year", "Int64")]:
        same = found[col].astype(as_type).eq(found[f"{col}_r"].astype(as_type)).fillna(False)
        r.check(bool(same.all()), f"panel (pandas): {int((~same).sum())} rows whose {col} differs from their report's")
    bad = scalar(
        con,
        "SELECT count(*) FROM panel_view p LEFT JOIN reports_view r USING (report_id) WHERE r.report_id IS NULL "
        "OR p.issuer IS DISTINCT FROM r.issuer OR p.report_year IS DISTINCT FROM r.report_year",
    )
    r.check(bad == 0, f"panel (duckdb): {bad} rows without their report or with another issuer or year")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="a directory written by `xxgk build`")
    ap.add_argument("--allow-missing-panel", action="store_true", help="only while builds do not write panel.parquet yet")
    args = ap.parse_args()
    r = Results()
    run = json.loads((args.out / "run.json").read_text(encoding="utf-8"))
    con, data = load(args.out)
    for name in ["reports", "checks", "continuity"]:
        if not r.check(name in data, f"{name}.parquet: missing"):
            return finish(r)
    for name, view in [("reports", "reports_view"), ("facts", "facts_view"), ("panel", "panel_view")]:
        if name in data:
            data[name]["duckdb"].create_view(view)
    schemas = {"reports": (REPORTS, None), "facts": (FACTS, None), "checks": (CHECKS, None), "panel": (PANEL, PANEL_PREFIXES),
               "continuity": (CONTINUITY, None)}
    for name, frames in data.items():
        for lib, frame in frames.items():
            check_schema(r, name, lib, frame, *schemas[name])
    check_counts(r, data, run)
    check_hive(r, con, args.out, data)
    if "panel" in data:
        check_panel(r, con, args.out, data)
    elif args.allow_missing_panel:
        print("load-test: panel.parquet absent, allowed by --allow-missing-panel (panel checks skipped)", file=sys.stderr)
    else:
        r.check(False, "panel.parquet: missing (it is part of the output contract)")
    return finish(r)


def finish(r):
    print(f"load-test: {r.passed} passed, {len(r.failed)} failed")
    return 0 if not r.failed else 1


if __name__ == "__main__":
    sys.exit(main())
