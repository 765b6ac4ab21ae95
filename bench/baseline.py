"""The committed page times `make bench` checks (bench/baseline.json), shared by case_pages.py and queues.py.

One file, one database size: {"cases", "database", "load_average": {script: load}, "pages": {key: median ms}}. Each
script writes its own entries ("<user> <page>" for case_pages.py, "<user> / <page>" for queues.py) and the bare
50-row page of its own run under its own key, and merges them into what the other wrote; each is checked against the
bare page of the run that wrote it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

BARE_PAGE = "bare 50-row page"  # case_pages.py's key; queues.py's is "queues.py / bare 50-row page"


def write(path: Path, measured: dict, *, cases: int, database: str, script: str) -> None:
    """Merge this run's medians (ms, with its bare page) into the baseline at `path`. A baseline of another database
    or size is replaced, not merged: its figures are not comparable with these."""
    committed = json.loads(path.read_text()) if path.exists() else {}
    if committed and not (committed.get("database") == database and comparable(cases, committed.get("cases"))):
        print(
            f"{path.name} was for {committed.get('cases') or 0:,} cases on {committed.get('database')}: "
            f"replaced by this run's {cases:,} on {database}"
        )
        committed = {}
    loads = committed.get("load_average") if isinstance(committed.get("load_average"), dict) else {}
    path.write_text(
        json.dumps(
            {
                "cases": cases,
                "database": database,
                "load_average": {**loads, script: round(os.getloadavg()[0], 2)},
                "pages": {**committed.get("pages", {}), **measured},
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )
    print(f"{len(measured)} entries written to {path}")


def comparable(cases: int, size: int | None) -> bool:
    """A page's cost is not the same at another size: a baseline is checked only between half and twice its size."""
    return not size or 0.5 <= cases / size <= 2


def check(path: Path, measured: dict, tolerance: float, cases: int, bare: str = BARE_PAGE) -> list[str]:
    """Pages whose server time grew by more than `tolerance` (0.5: 50 %) over the committed baseline. Each time is
    first divided by the bare 50-row page's (key `bare`) of its own run (when both runs have it), so that a machine
    busier or quieter than the baseline's does not read as a regression or hide one."""
    committed = json.loads(path.read_text())
    baseline = committed["pages"]
    size = committed.get("cases")
    bare_now, bare_then = measured.get(bare), baseline.get(bare)
    scale = bare_then / bare_now if bare_now and bare_then else 1.0
    worse = []
    print(
        f"\nagainst {path.name} (fails above +{tolerance:.0%}"
        + (f"; times scaled by the bare page's, {bare_then:.2f} ms then, {bare_now:.2f} ms now" if scale != 1 else "")
        + "):"
    )
    if not comparable(cases, size):
        print(f"  the baseline is for {size:,} cases, this database has {cases:,}: shown, not checked")
    for key, ms in measured.items():
        before = baseline.get(key)
        if key == bare:
            continue
        if before is None:
            print(f"  {key:<48} {ms:8.1f} ms  (not in the baseline)")
            continue
        change = ms * scale / before - 1
        flag = "  REGRESSION" if change > tolerance else ""
        print(f"  {key:<48} {ms:8.1f} ms  baseline {before:8.1f}  {change:+7.0%}{flag}")
        if flag and comparable(cases, size):
            worse.append(
                f"{key} ({ms:.1f} ms, ×{ms * scale / before:.2f} the baseline's {before:.1f} ms after scaling)"
            )
    return worse


def fail(worse: list[str], tolerance: float) -> None:
    """Exit with status 1 and the list of the pages that regressed (nothing when none did)."""
    if worse:
        raise SystemExit(
            f"{len(worse)} page(s) more than {tolerance:.0%} slower than the baseline:\n  " + "\n  ".join(worse)
        )
