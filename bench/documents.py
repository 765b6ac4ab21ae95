#!/usr/bin/env python
"""One-page notice: our render (Jinja + WeasyPrint + compact CJK fonts) against WeasyPrint on the same HTML.

    .venv/bin/python bench/documents.py [--runs 15]

No database: the notice's context is built as plain dicts (what every template gets). Both sides are
warmed up first, then timed `--runs` times (median). The plain WeasyPrint runs come first, before
`disputes.documents.fonts` patches WeasyPrint's subsetting. Goals: ratio <= 1.2, ours < 300 ms, PDF < 150 KB.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


TEMPLATE = "documents/arb_refusal.html"  # the one-page notice of the set


def context() -> dict:
    from disputes.documents import verify

    unit = {
        "code": "LGA",
        "name": "深圳市龙岗区劳动人事争议仲裁委员会",
        "name_en": "Longgang Labour Arbitration Commission",
        "address": "深圳市龙岗区龙城街道",
        "phone": "0755-28900000",
    }
    party = {"name": "张三", "side": "Applicant", "kind": "Worker", "is_employer": False, "id": 1}
    employer = {
        "name": "深圳市宏达电子科技有限公司",
        "side": "Respondent",
        "kind": "Employer",
        "is_employer": True,
        "id": 2,
    }
    code = "7K3M9Q2XRT"
    url = verify.verify_url(code)
    return {
        "case": {
            "registry_no": "深龙调援〔2026〕第00123号",
            "applicants": [party],
            "respondents": [employer],
            "claims": [{"category": "Unpaid wages", "amount": Decimal(12000), "description": ""}],
            "unit": unit,
        },
        "arbitration": {
            "number": "深龙劳人仲案〔2026〕00123号",
            "received_on": date(2026, 11, 16),
            "refused_on": date(2026, 11, 20),
            "refusal_reason": "申请人不具备劳动者主体资格",
            "state": "refused",
            "closed": False,
        },
        "doc": {
            "id": "arb_refusal",
            "title": "Notice of refusal to accept",
            "number": "深龙劳人仲案字〔2026〕第123号",
            "issued_on": date(2026, 11, 20),
            "code": code,
            "verify_url": url,
            "qr_uri": verify.qr_data_uri(url),
            "preview": False,
            "single_page": False,
        },
        "issuer": {**unit, "seal_uri": None},
    }


def timed(function, runs: int) -> tuple[float, object]:
    result, times = None, []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    from weasyprint import HTML

    from disputes.documents import render

    html = render.render_html(TEMPLATE, context(), "zh_CN")
    base = render.DOCUMENT_ASSETS.as_uri() + "/"

    def plain():
        return HTML(string=html, base_url=base).write_pdf()

    def ours():
        return render.render_pdf(render.render_html(TEMPLATE, context(), "zh_CN")).data

    timed(plain, 2)
    plain_s, plain_pdf = timed(plain, args.runs)
    timed(ours, 2)
    ours_s, ours_pdf = timed(ours, args.runs)
    fonts = _fonts(ours_pdf)
    print(f"one-page notice, median of {args.runs} warm runs")
    print(f"  WeasyPrint on the same HTML : {plain_s * 1000:7.1f} ms  {len(plain_pdf) / 1024:7.1f} KB")
    print(f"  ours (Jinja + render_pdf)   : {ours_s * 1000:7.1f} ms  {len(ours_pdf) / 1024:7.1f} KB")
    print(f"  ratio                       : {ours_s / plain_s:7.2f}x   (goal <= 1.2x, < 300 ms)")
    print(f"  size goal < 150 KB          : {'met' if len(ours_pdf) < 150 * 1024 else 'MISSED'}")
    print("  fonts:\n" + "\n".join("    " + line for line in fonts))


def _fonts(pdf: bytes) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        try:
            out = subprocess.run(["pdffonts", handle.name], capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return ["(pdffonts not available)"]
    return out.splitlines()


if __name__ == "__main__":
    main()
