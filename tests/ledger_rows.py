"""Ledger rows for the tests: a header and rows as dicts, written to CSV or XLSX."""

import csv
import io

from disputes.ledger.columns import COLUMNS
from tests.conftest import EMPLOYER_CODE, WORKER_ID

GOOD = [
    # Arbitration accepted 2026-03-02 and closed by award on 2026-05-20: 45 days → due 2026-04-16, so late.
    {
        "registry_no": "L-0001",
        "unit_code": "LGC",
        "registered_on": "2026-03-01",
        "applicant_name": "张三",
        "applicant_id_no": WORKER_ID,
        "respondent_name": "深圳市宏达电子科技有限公司",
        "respondent_credit_code": EMPLOYER_CODE,
        "claim_categories": "wages;overtime",
        "claim_amount": "12000.50",
        "migrant_wage": "1",
        "arbitration_received_on": "2026-03-01",
        "arbitration_accepted_on": "2026-03-02",
        "arbitration_closed_on": "2026-05-20",
        "arbitration_closure": "award_final",
        "arbitrator": "arbitrator",
    },
    # Mediation that reached an agreement in time.
    {
        "registry_no": "L-0002",
        "unit_code": "LGC",
        "registered_on": "2026-06-01",
        "applicant_name": "李四",
        "respondent_name": "深圳市某某公司",
        "claim_categories": "economic_compensation",
        "mediation_received_on": "2026-06-01",
        "mediation_ended_on": "2026-06-10",
        "mediation_outcome": "agreement",
        "mediator": "mediator",
    },
    # Arbitration with suspension and extension closed by mediation statement on time; legal aid granted.
    {
        "registry_no": "L-0003",
        "unit_code": "LGC",
        "registered_on": "2026-01-05",
        "applicant_name": "王五",
        "respondent_name": "深圳市某某公司",
        "claim_categories": "damages",
        "workers": "12",
        "legal_aid_applied_on": "2026-01-05",
        "legal_aid_decided_on": "2026-01-20",
        "legal_aid_decision": "granted",
        "mediation_received_on": "2026-01-05",
        "mediation_ended_on": "2026-01-25",
        "mediation_outcome": "lapsed",
        "arbitration_received_on": "2026-01-26",
        "arbitration_accepted_on": "2026-01-28",
        "arbitration_closed_on": "2026-04-20",
        "arbitration_closure": "mediation_statement",
        "suspended_days": "30",
        "extension_days": "15",
        "arbitrator": "arbitrator",
    },
    # Award challenged in court, lawsuit still open; refused arbitration row; still-open arbitration.
    {
        "registry_no": "L-0004",
        "unit_code": "LGC",
        "registered_on": "2026-02-01",
        "applicant_name": "赵六",
        "respondent_name": "深圳市某某公司",
        "claim_categories": "confirm_employment",
        "arbitration_received_on": "2026-02-01",
        "arbitration_accepted_on": "2026-02-03",
        "arbitration_closed_on": "2026-03-10",
        "arbitration_closure": "award_nonfinal",
        "arbitrator": "arbitrator",
        "litigation_filed_on": "2026-03-20",
        "litigation_by": "worker",
    },
    {
        "registry_no": "L-0005",
        "unit_code": "LGC",
        "registered_on": "2026-02-01",
        "applicant_name": "钱七",
        "respondent_name": "深圳市某某公司",
        "claim_categories": "other",
        "arbitration_received_on": "2026-02-01",
        "arbitration_closed_on": "2026-02-04",
        "arbitration_closure": "refused",
    },
    {
        "registry_no": "L-0006",
        "unit_code": "LGC",
        "registered_on": "2026-10-01",
        "applicant_name": "孙八",
        "respondent_name": "深圳市某某公司",
        "claim_categories": "wages",
        "arbitration_received_on": "2026-10-01",
        "arbitration_accepted_on": "2026-10-09",
    },
]


def csv_text(rows, columns=COLUMNS, bom=True) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return ("\ufeff" if bom else "") + out.getvalue()


def xlsx_bytes(rows, columns=COLUMNS) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(c) or None for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
