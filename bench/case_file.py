#!/usr/bin/env python
"""How long the complete case file (cover + index + documents, page-numbered) takes to build, warm.

    .venv/bin/python bench/case_file.py [--runs 7] [--pages 10]

On a scratch SQLite database (migrated, then deleted): an accepted arbitration case, with real issued
documents (the acceptance notice and proofs of service, through `documents.issue`) plus stored synthetic
PDFs, so that cover + index + documents make `--pages` pages. One build warms WeasyPrint (fonts, the
Jinja environment); then `--runs` builds, median and worst. Goal: a 10-page file in under 2 s warm.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _pdf(pages: int) -> bytes:
    from disputes.documents import render

    body = "".join(
        f'<section style="page-break-after: always"><h1>附件 {n}</h1><p>证据材料第{n}页</p></section>'
        for n in range(1, pages + 1)
    )
    return render.html_to_pdf(f"<html><body>{body}</body></html>")


def build_world(session):
    """An organisation, an accepted case with its tribunal, its documents; the case and the document model."""
    from disputes import clock, organisation
    from disputes.documents import issue
    from disputes.documents.service import ServiceInput, record_service
    from disputes.models import ClaimCategory, IssuedDocument, PartyKind, PartySide, Role, ServiceMethod, UnitKind
    from disputes.workflow import arbitration as arb
    from disputes.workflow.intake import ClaimInput, IntakeInput, PartyInput, register_case

    add = organisation.add_unit
    district = add(session, "LG", "龙岗区", UnitKind.DISTRICT)
    district.region_code = "440307"
    centre = add(session, "LGC", "龙岗区调援裁诉中心", UnitKind.CENTRE, district)
    commission = add(session, "LGA", "龙岗区劳动人事争议仲裁委员会", UnitKind.ARBITRATION_COMMISSION, centre)
    clerk = organisation.add_user(session, "clerk", "书记员甲", [Role.CLERK], centre, "correct-horse-42")
    arbitrator = organisation.add_user(session, "arb", "仲裁员乙", [Role.ARBITRATOR], commission, "correct-horse-42")
    from decimal import Decimal

    case = register_case(
        session,
        clerk,
        IntakeInput(
            unit_id=centre.id,
            cause="拖欠工资",
            registered_on=clock.today_local(),
            dispute_known_on=date(2026, 10, 1),
            parties=[
                PartyInput(PartySide.APPLICANT, PartyKind.WORKER, "张三"),
                PartyInput(PartySide.RESPONDENT, PartyKind.EMPLOYER, "深圳市宏达电子科技有限公司"),
            ],
            claims=[ClaimInput(ClaimCategory.WAGES, Decimal("12000.00"), "2026年8月至10月工资")],
        ),
    )
    arb.receive_application(session, case, clerk, unit_id=commission.id, received_on=clock.today_local())
    arb.accept(session, case, clerk)
    acceptance = issue.issue(session, case, "arb_acceptance", "", clerk)
    clock.freeze(clock.now_utc() + timedelta(hours=1))
    for party in case.parties:
        service = record_service(
            session,
            case,
            clerk,
            acceptance,
            party,
            ServiceInput(method=ServiceMethod.IN_PERSON, served_at=clock.now_utc(), recipient=party.name),
        )
        issue.issue(session, case, "arb_service_receipt", str(service.id), clerk)
    arb.serve_respondent(session, case, clerk, served_on=clock.today_local())
    arb.form_tribunal(session, case, clerk, kind=arb.TribunalKind.SOLE, arbitrator_ids=[arbitrator.id])
    session.flush()
    return case, IssuedDocument


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pages", type=int, default=10, help="total pages of the file (cover and index included)")
    args = parser.parse_args()

    from disputes import clock, create_app
    from disputes.extensions import db

    clock.freeze(datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    folder = tempfile.mkdtemp(prefix="bench-case-file-")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{os.path.join(folder, 'bench.sqlite')}")
    with app.app_context():
        from disputes.documents import case_file
        from disputes.extensions import upgrade

        upgrade()
        session = db.session
        case, issued_document = build_world(session)
        have = sum(d.page_count for d in case_file.documents(session, case))
        missing = args.pages - 2 - have  # the cover and the index take a page each
        if missing > 0:
            pdf = _pdf(missing)
            session.add(
                issued_document(
                    case=case,
                    unit=case.unit,
                    kind="evidence_bundle",
                    subject_key="",
                    version=1,
                    lang="zh_CN",
                    number=None,
                    code="BENCH0000001",
                    sha256=hashlib.sha256(pdf).hexdigest(),
                    size=len(pdf),
                    page_count=missing,
                    pdf=pdf,
                    issued_by=None,
                    issued_at=clock.now_utc(),
                )
            )
        session.commit()
        started = time.perf_counter()
        pdf, parts = case_file.build(session, case)
        cold = time.perf_counter() - started
        times, cpu = [], []
        for _ in range(args.runs):
            session.expire_all()
            started, started_cpu = time.perf_counter(), time.process_time()
            pdf, parts = case_file.build(session, case)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        total = sum(parts.values())
        print(
            f"case file: {total} pages (cover {parts['cover']}, index {parts['index']}, documents "
            f"{parts['documents']} in {len(case_file.documents(session, case))} documents), {len(pdf) // 1024} KB"
        )
        print(f"first build (cold): {cold:.2f} s")
        print(
            f"warm build: median {statistics.median(times):.2f} s, worst {max(times):.2f} s over {args.runs} runs "
            f"(goal < 2 s)"
        )
        print(
            f"CPU time per build: median {statistics.median(cpu):.2f} s (wall time includes waiting for a CPU "
            f"on a loaded machine; load average {os.getloadavg()[0]:.1f})"
        )
        db.session.remove()
        db.engine.dispose()
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    os.rmdir(folder)


if __name__ == "__main__":
    main()
