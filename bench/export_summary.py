#!/usr/bin/env python3
"""Prints the export benchmarks' numbers with their targets and the ratios against the baselines."""
import json
import re
import sys

TARGETS = {"csv": 500_000, "ndjson": 500_000, "xlsx": 150_000}  # rows/s on one core (issue #5)
HEAP_TARGET_MIB = 256  # for 1M rows, every format


def jmh(path):
    results = json.load(open(path))
    writers, pool = {}, {}
    for r in results:
        name = r["benchmark"].rsplit(".", 1)[-1]
        params = r.get("params", {})
        score = r["primaryMetric"]["score"]
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        if name == "writeRows":
            writers[params["format"]] = (score, alloc)
        elif name == "export":
            pool[params["buffers"]] = (score, alloc)
    print("\nWriters (one row = one op; in-memory sink)")
    print(f"{'format':8} {'rows/s':>12} {'B/row':>8} {'target':>9}  ok")
    for fmt, (score, alloc) in sorted(writers.items()):
        target = TARGETS.get(fmt)
        ok = "" if target is None else ("yes" if score >= target else "NO")
        print(f"{fmt:8} {score:12,.0f} {alloc or 0:8.0f} {target or '-':>9}  {ok}")
    if "pooled" in pool and "unpooled" in pool:
        (pt, pa), (ut, ua) = pool["pooled"], pool["unpooled"]
        print("\nPart buffers (one op = one warm export of 6 x 8 MiB parts)")
        print(f"pooled   {pt:8.2f} ms/op {pa / 1048576:8.2f} MiB allocated/op")
        print(f"unpooled {ut:8.2f} ms/op {ua / 1048576:8.2f} MiB allocated/op")
        print(f"ratio unpooled/pooled: time {ut / pt:.2f}x, allocation {ua / max(pa, 1):.0f}x")


def e2e(path):
    runs = {}
    for line in open(path):
        if not line.startswith("RESULT") or "failed=" in line:
            continue
        f = dict(kv.split("=", 1) for kv in line.split()[1:])
        runs[(f["format"], int(f["rows"]), f["mode"])] = f
    print(f"\n{'format':7} {'rows':>9} {'mode':10} {'seconds':>8} {'rows/s':>10} {'peak MiB':>9} {'-Xmx MiB':>9}"
          f" {'time vs':>9} {'heap vs':>9}")
    for (fmt, rows, mode), f in sorted(runs.items()):
        base = runs.get((fmt, rows, "naive"))
        tv = hv = ""
        if base and mode == "streaming":
            tv = f"{float(base['seconds']) / float(f['seconds']):.2f}x"
            hv = f"{int(base['xmxNeededMiB']) / int(f['xmxNeededMiB']):.1f}x"
        print(f"{fmt:7} {rows:9,} {mode:10} {float(f['seconds']):8.2f} {float(f['rowsPerSecond']):10,.0f}"
              f" {float(f['peakHeapMiB']):9.1f} {f['xmxNeededMiB']:>9} {tv:>9} {hv:>9}")
    print("\n'time vs' and 'heap vs': the naive baseline's seconds and -Xmx divided by streaming's (higher = streaming better).")
    for (fmt, rows, mode), f in sorted(runs.items()):
        if fmt == "xlsx" and mode == "streaming" and (fmt, rows, "poi") in runs:
            p = runs[(fmt, rows, "poi")]
            print(f"xlsx {rows:,} rows: POI SXSSF / fastexcel streaming: time {float(p['seconds']) / float(f['seconds']):.2f}x,"
                  f" -Xmx {int(p['xmxNeededMiB']) / int(f['xmxNeededMiB']):.1f}x")
        if rows == 1_000_000 and mode == "streaming":
            ok = int(f["xmxNeededMiB"]) <= HEAP_TARGET_MIB
            print(f"{fmt} 1M rows streaming needs -Xmx{f['xmxNeededMiB']}m: {'within' if ok else 'OVER'} the 256 MiB target")


if __name__ == "__main__":
    {"jmh": jmh, "e2e": e2e}[sys.argv[1]](sys.argv[2])
