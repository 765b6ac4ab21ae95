"""The permission matrix: every route × every role (and anonymous), from one table.

Each row is one (endpoint, method) of the app, a request to send, and the expected
outcome for each principal:
  A  allowed: 200, or a redirect that is not to the sign-in page
  D  denied: 403
  L  sent to the sign-in page (302 to /login)
  O  signed out (logout: 302 to /login, and the session no longer knows the user)
  P  sent to the portal's sign-in (302 to /portal/sign-in): a staff session is no party session (issue 20)

Principals: the eight roles of the conftest organisation (each user at their home unit),
plus the mediator and the lawyer *assigned* to the centre case, plus anonymous.
`{case}` is a case held by the centre unit; `{street_case}` a case held by a street
unit outside the centre's subtree; `{user}` and `{unit}` are an account and a unit to
administer. A route added to the app without a row here fails `test_table_covers_every_route`.
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from disputes import organisation, reference
from disputes.documents import issue as issuing
from disputes.documents import seals
from disputes.documents.service import ServiceInput, record_service
from disputes.models import (
    CalendarRecompute,
    CaseAssignment,
    CaseTransfer,
    LedgerImport,
    LinkKind,
    Role,
    ServiceMethod,
    SkillKind,
    StaffSkill,
    TransferTrack,
)
from disputes.workflow import allocation, links
from disputes.workflow.states import LawsuitState, LegalAidState, MediationState
from tests.conftest import FROZEN_AT, PASSWORD
from tests.documents_fixtures import accepted_case, seal_png
from tests.drive import Driver
from tests.issued import fake_issue
from tests.portal_support import portal_world as _portal_world

PRINCIPALS = (
    "clerk",
    "mediator",
    "mediator*",
    "legal_aid_officer",
    "lawyer",
    "lawyer*",
    "arbitrator",
    "court_liaison",
    "supervisor",
    "admin",
    "anonymous",
)
ASSIGNED = {"mediator*": Role.MEDIATOR, "lawyer*": Role.LAWYER}


@dataclass
class Row:
    endpoint: str
    method: str
    path: str
    expect: str  # one letter per principal, in PRINCIPALS order
    data: dict = field(default_factory=dict)

    def outcomes(self) -> dict[str, str]:
        letters = self.expect.split()
        assert len(letters) == len(PRINCIPALS), self
        return dict(zip(PRINCIPALS, letters, strict=True))


REASON = {"reason": "核对当事人身份"}
OPEN_MEDIATION = {"unit_id": "3", "applied_on": "2026-11-20"}  # the committee LGM, third unit of the organisation
FLAGS = {"green_channel": "y", "reason": "经核实为农民工欠薪"}
LIMITATION = {"employment": "ongoing", "reason": "职工仍在职"}
CLAIM_FACTS = {"dispute_cause": "remuneration", "recovered_amount": "100.00"}
CONFLICT = {"user_id": "2", "reason": "申请人之兄"}  # the organisation's mediator (the second account)
ABSENCE = {"user_id": "2", "starts_on": "2026-11-23", "ends_on": "2026-11-27", "note": "年假"}
# The world's issued document (given id 9001, whatever else the world issues) served on the centre case's
# respondent (party 2); see `world`.
SERVE = {
    "document_id": "9001",
    "party_id": "2",
    "method": "post",
    "served_at": "2026-11-20T10:30",
    "tracking_number": "EMS1122334455",
}

# fmt: off
#                                                                  clerk med med* lao law law* arb cl sup adm anon
TABLE = [
    Row("auth.index",               "GET",  "/",                       "A A A A A A A A A A L"),
    Row("auth.login",               "GET",  "/login",                  "A A A A A A A A A A A"),
    Row("auth.login",               "POST", "/login",                  "A A A A A A A A A A A",
        {"username": "nobody", "password": "wrong-password"}),
    Row("auth.set_language",        "POST", "/language",               "A A A A A A A A A A A",
        {"locale": "zh_CN", "next": "/account"}),
    Row("auth.account",             "GET",  "/account",                "A A A A A A A A A A L"),
    Row("auth.account",             "POST", "/account",                "A A A A A A A A A A L"),
    Row("cases.index",              "GET",  "/cases",                  "A A A A A A A A A D L"),
    Row("cases.new",                "GET",  "/cases/new",              "A A A D D D A D A D L"),
    Row("cases.new",                "POST", "/cases/new",              "A A A D D D A D A D L"),
    Row("cases.detail",             "GET",  "/cases/{case}",           "A D A D D A D D A D L"),
    Row("cases.detail",             "GET",  "/cases/{street_case}",    "D D D D D D D D D D L"),
    Row("cases.reveal",             "POST", "/cases/{case}/reveal",    "A D A D D A D D A D L", REASON),
    Row("cases.reveal",             "POST", "/cases/{street_case}/reveal", "D D D D D D D D D D L", REASON),
    Row("cases.flags",              "POST", "/cases/{case}/flags",     "A D A D D D D D A D L", FLAGS),
    Row("cases.flags",              "POST", "/cases/{street_case}/flags", "D D D D D D D D D D L", FLAGS),
    Row("cases.limitation_edit",    "POST", "/cases/{case}/limitation", "A D A D D D D D A D L", LIMITATION),
    Row("cases.limitation_edit",    "POST", "/cases/{street_case}/limitation", "D D D D D D D D D D L", LIMITATION),
    # A claim's dispute cause and amount recovered (issue 17): whoever may edit the case's parties.
    Row("cases.claims",             "GET",  "/cases/{case}/claims",    "A D A D D D D D A D L"),
    Row("cases.claims",             "GET",  "/cases/{street_case}/claims", "D D D D D D D D D D L"),
    Row("cases.claim_facts",        "GET",  "/cases/{case}/claims/{claim}", "A D A D D D D D A D L"),
    Row("cases.claim_facts",        "POST", "/cases/{case}/claims/{claim}", "A D A D D D D D A D L", CLAIM_FACTS),
    Row("cases.claim_facts",        "POST", "/cases/{street_case}/claims/{street_claim}", "D D D D D D D D D D L",
        CLAIM_FACTS),
    # Routing and allocation (issue 16): the route step as the flags; hand assignment, conflicts (回避) and bulk
    # moves for clerks and supervisors (bulk: supervisors); the allocation page for supervisors and the admin.
    Row("cases.route",              "POST", "/cases/{case}/route",     "A D A D D D D D A D L"),
    Row("cases.route",              "POST", "/cases/{street_case}/route", "D D D D D D D D D D L"),
    Row("cases.assign",             "POST", "/cases/{med_case}/assign", "A D D D D D D D A D L"),
    Row("cases.conflict",           "POST", "/cases/{med_case}/conflict", "A D D D D D D D A D L", CONFLICT),
    Row("cases.bulk",               "POST", "/cases/bulk",             "D D D D D D D D A D L"),
    Row("cases.request_transfer",   "POST", "/cases/{med_case}/transfer", "A A A D D D D D A D L"),
    Row("cases.request_transfer",   "POST", "/cases/{street_case}/transfer", "D D D D D D D D D D L"),
    Row("cases.transfer_queue",     "GET",  "/transfers",              "A A A D D D D D A D L"),
    Row("cases.accept_transfer",    "POST", "/transfers/{transfer}/accept", "A A A D D D D D A D L"),
    Row("cases.return_transfer",    "POST", "/transfers/{transfer}/return", "A A A D D D D D A D L"),
    Row("cases.record_delegation",  "POST", "/cases/{med_case}/delegation", "A A A D D D D D A D L"),
    Row("cases.return_delegation",  "POST", "/cases/{med_case}/delegation/return", "A A A D D D D D A D L"),
    Row("cases.link_case",          "POST", "/cases/{case}/links",     "A D A D D D D D A D L"),
    Row("cases.link_case",          "POST", "/cases/{street_case}/links", "D D D D D D D D D D L"),
    Row("cases.group_hearing",      "POST", "/cases/{case}/group/hearing", "A D A D D D D D A D L"),
    Row("cases.group_service",      "POST", "/cases/{case}/group/service", "A D A D D D D D A D L"),
    Row("cases.group_closure",      "POST", "/cases/{case}/group/closure", "A D A D D D D D A D L"),
    # after the group rows: taking the case out dissolves the world's group of two
    Row("cases.unlink_case",        "POST", "/cases/{case}/links/remove", "A D A D D D D D A D L"),
    Row("work.mine",                "GET",  "/work/mine",              "D A A D D D A D D D L"),
    Row("admin.allocation_page",    "GET",  "/admin/allocation",       "D D D D D D D D A A L"),
    Row("admin.allocation_rule",    "POST", "/admin/allocation/rule",  "D D D D D D D D A A L",
        {"unit_id": "3", "method": "least_load"}),
    Row("admin.allocation_absence", "POST", "/admin/allocation/absences", "D D D D D D D D A A L", ABSENCE),
    Row("admin.allocation_absence_delete", "POST", "/admin/allocation/absences/{absence}/delete",
        "D D D D D D D D A A L"),
    Row("admin.allocation_skill",   "POST", "/admin/allocation/skills", "D D D D D D D D A A L",
        {"user_id": "2", "kind": "language", "value": "粤语"}),
    Row("admin.allocation_skill_delete", "POST", "/admin/allocation/skills/{skill}/delete",
        "D D D D D D D D A A L"),
    Row("admin.users",              "GET",  "/admin/users",            "D D D D D D D D D A L"),
    Row("admin.user_new",           "GET",  "/admin/users/new",        "D D D D D D D D D A L"),
    Row("admin.user_new",           "POST", "/admin/users/new",        "D D D D D D D D D A L"),
    Row("admin.user_edit",          "GET",  "/admin/users/{user}",     "D D D D D D D D D A L"),
    Row("admin.user_edit",          "POST", "/admin/users/{user}",     "D D D D D D D D D A L"),
    Row("admin.user_reset_password", "POST", "/admin/users/{user}/password", "D D D D D D D D D A L",
        {"password": "a-new-password-1"}),
    Row("admin.units",              "GET",  "/admin/units",            "D D D D D D D D D A L"),
    Row("admin.unit_new",           "GET",  "/admin/units/new",        "D D D D D D D D D A L"),
    Row("admin.unit_new",           "POST", "/admin/units/new",        "D D D D D D D D D A L"),
    Row("admin.unit_edit",          "GET",  "/admin/units/{unit}",     "D D D D D D D D D A L"),
    Row("admin.unit_edit",          "POST", "/admin/units/{unit}",     "D D D D D D D D D A L"),
    Row("admin.minimum_wages",       "GET",  "/admin/minimum-wages",          "D D D D D D D D D A L"),
    Row("admin.minimum_wage_new",    "GET",  "/admin/minimum-wages/new",      "D D D D D D D D D A L"),
    Row("admin.minimum_wage_new",    "POST", "/admin/minimum-wages/new",      "D D D D D D D D D A L"),
    Row("admin.minimum_wage_edit",   "GET",  "/admin/minimum-wages/1",        "D D D D D D D D D A L"),
    Row("admin.minimum_wage_edit",   "POST", "/admin/minimum-wages/1",        "D D D D D D D D D A L"),
    Row("admin.minimum_wage_delete", "POST", "/admin/minimum-wages/2/delete", "D D D D D D D D D A L"),
    Row("admin.finality_rules",      "GET",  "/admin/finality-rules",         "D D D D D D D D D A L"),
    Row("admin.finality_rule_new",   "GET",  "/admin/finality-rules/new",     "D D D D D D D D D A L"),
    Row("admin.finality_rule_new",   "POST", "/admin/finality-rules/new",     "D D D D D D D D D A L"),
    Row("admin.finality_rule_edit",  "GET",  "/admin/finality-rules/1",       "D D D D D D D D D A L"),
    Row("admin.finality_rule_edit",  "POST", "/admin/finality-rules/1",       "D D D D D D D D D A L"),
    Row("admin.hearing_rooms",       "GET",  "/admin/hearing-rooms",          "D D D D D D D D D A L"),
    Row("admin.hearing_room_new",    "GET",  "/admin/hearing-rooms/new",      "D D D D D D D D D A L"),
    Row("admin.hearing_room_new",    "POST", "/admin/hearing-rooms/new",      "D D D D D D D D D A L"),
    Row("admin.hearing_room_edit",   "GET",  "/admin/hearing-rooms/{room}",   "D D D D D D D D D A L"),
    Row("admin.hearing_room_edit",   "POST", "/admin/hearing-rooms/{room}",   "D D D D D D D D D A L"),
    Row("admin.calendar",            "GET",  "/admin/calendar?year=2026",          "D D D D D D D D D A L"),
    Row("admin.calendar_day_new",    "GET",  "/admin/calendar/new",                "D D D D D D D D D A L"),
    Row("admin.calendar_day_new",    "POST", "/admin/calendar/new",                "D D D D D D D D D A L",
        {"day": "2027-01-01", "kind": "holiday", "name": "元旦"}),
    Row("admin.calendar_day_edit",   "GET",  "/admin/calendar/2026-02-16",         "D D D D D D D D D A L"),
    Row("admin.calendar_day_edit",   "POST", "/admin/calendar/2026-02-16",         "D D D D D D D D D A L",
        {"kind": "holiday", "name": "春节"}),
    Row("admin.calendar_day_delete", "POST", "/admin/calendar/2026-02-16/delete",  "D D D D D D D D D A L"),
    Row("admin.calendar_import",     "GET",  "/admin/calendar/import",             "D D D D D D D D D A L"),
    Row("admin.calendar_recompute",  "GET",  "/admin/calendar/recomputes/{recompute}", "D D D D D D D D D A L"),
    Row("admin.calendar_recompute_retry", "POST", "/admin/calendar/recomputes/{recompute}/retry",
        "D D D D D D D D D A L"),
    Row("admin.calendar_import",     "POST", "/admin/calendar/import",             "D D D D D D D D D A L"),
    Row("admin.calendar_year",       "POST", "/admin/calendar/years",              "D D D D D D D D D A L",
        {"year": "2027"}),
    Row("admin.rules",               "GET",  "/admin/rules",                       "D D D D D D D D D A L"),
    Row("admin.rule_edit",           "GET",  "/admin/rules/arbitration.award",     "D D D D D D D D D A L"),
    Row("admin.rule_edit",           "POST", "/admin/rules/arbitration.award",     "D D D D D D D D D A L",
        {"period": "45"}),
    Row("admin.targets",             "GET",  "/admin/targets",                     "D D D D D D D D D A L"),
    Row("admin.targets",             "POST", "/admin/targets",                     "D D D D D D D D D A L",
        {"unit_id": "", "figure": "arbitration.closure_rate", "minimum": "90"}),
    Row("admin.audit_trail",         "GET",  "/admin/audit?entity=user",           "D D D D D D D D D A L"),
    Row("reports.dashboard",        "GET",  "/reports",                "D D D D D D D D A D L"),
    Row("reports.dashboard",        "GET",  "/reports?preset=year&on=2026-03-01",
        "D D D D D D D D A D L"),
    Row("reports.cases",            "GET",  "/reports/cases?figure=arbitration.closure_rate&part=denominator",
        "D D D D D D D D A D L"),
    Row("reports.cases_export",     "GET",  "/reports/cases.csv?figure=arbitration.closure_rate&part=denominator",
        "D D D D D D D D A D L"),
    Row("reports.cases_export",     "GET",  "/reports/cases.xlsx?figure=arbitration.closed&part=numerator",
        "D D D D D D D D A D L"),
    Row("reports.court",            "GET",  "/reports/court",          "D D D D D D D D A D L"),
    Row("reports.workload",         "GET",  "/reports/workload",       "D D D D D D D D A D L"),
    Row("reports.ageing",           "GET",  "/reports/ageing?stale=20", "D D D D D D D D A D L"),
    Row("reports.rows",             "GET",  "/reports/court/cases?measure=awards", "D D D D D D D D A D L"),
    Row("reports.rows",             "GET",  "/reports/interruptions/cases?measure=suspension&grouping=reason",
        "D D D D D D D D A D L"),
    Row("reports.rows_export",      "GET",  "/reports/workload/cases.xlsx?measure=open&grouping=person",
        "D D D D D D D D A D L"),
    Row("reports.monthly",          "GET",  "/reports/monthly.pdf?month=2026-10", "D D D D D D D D A D L"),
    Row("reports.official_table",   "GET",  "/reports/tables/MA2?preset=year&on=2026-03-01",
        "D D D D D D D D A D L"),
    Row("reports.official_cell",    "GET",  "/reports/tables/MA1/cases?row=accepted&column=street",
        "D D D D D D D D A D L"),
    Row("reports.official_cell_export", "GET", "/reports/tables/MA1/cases.csv?row=accepted&column=street",
        "D D D D D D D D A D L"),
    Row("reports.official_cell_export", "GET", "/reports/tables/MA2/cases.xlsx?row=amount_claimed&preset=year",
        "D D D D D D D D A D L"),
    Row("reports.official_xlsx",    "GET",  "/reports/tables/MA1.xlsx", "D D D D D D D D A D L"),
    Row("reports.official_pdf",     "GET",  "/reports/tables/MA2.pdf?preset=year", "D D D D D D D D A D L"),
    Row("work.index",               "GET",  "/work",                   "A A A A A A A A A D L"),
    Row("deadlines.board",          "GET",  "/deadlines",              "A A A A A A A A A D L"),
    Row("deadlines.board",          "GET",  "/deadlines?view=all&rule=arbitration.award&unit=2&person=1",
        "A A A A A A A A A D L"),
    Row("deadlines.notifications",  "GET",  "/notifications",          "A A A A A A A A A D L"),
    Row("deadlines.mark_read",      "POST", "/notifications/read",     "A A A A A A A A A D L"),
    Row("arbitration.calendar",     "GET",  "/arbitration/calendar",   "A A A A A A A A A D L"),
    Row("mediation.calendar",       "GET",  "/mediation/calendar",     "A A A A A A A A A D L"),
    Row("work.ical_export",         "GET",  "/work/calendar.ics",      "A A A A A A A A A D L"),
    # Closures approved several at once (issue 16): supervisors; each case is checked by its own approval step.
    Row("arbitration.closures",     "GET",  "/arbitration/closures",   "D D D D D D D D A D L"),
    Row("arbitration.closures",     "POST", "/arbitration/closures",   "D D D D D D D D A D L", {"case_ids": "1"}),
    # Track steps: a refused step (wrong state) redirects to the case with the reason, so it counts as A;
    # a role that may never take the step gets 403, as does anyone who cannot read the case.
    Row("mediation.step",   "GET",  "/cases/{case}/mediation/open",             "A D A D D D D D A D L"),
    Row("mediation.step",   "POST", "/cases/{case}/mediation/open",             "A D A D D D D D A D L", OPEN_MEDIATION),  # noqa: E501
    Row("mediation.step",   "GET",  "/cases/{med_case}/mediation/log-session",  "D A A D D D D D A D L"),
    Row("mediation.step",   "GET",  "/cases/{street_case}/mediation/open",      "D D D D D D D D D D L"),
    Row("arbitration.step", "GET",  "/cases/{case}/arbitration/receive",        "A D D D D D D D A D L"),
    Row("arbitration.step", "POST", "/cases/{case}/arbitration/accept",         "A D D D D D D D A D L"),
    Row("arbitration.step", "GET",  "/cases/{case}/arbitration/approve-closure", "D D D D D D D D A D L"),
    Row("arbitration.step", "GET",  "/cases/{street_case}/arbitration/receive", "D D D D D D D D D D L"),
    Row("legal_aid.step",    "GET",  "/cases/{case}/legal-aid/apply",           "A D D D D D D D A D L"),
    Row("legal_aid.step",    "POST", "/cases/{case}/legal-aid/grant",           "D D D D D D D D A D L"),
    Row("legal_aid.step_of", "GET",  "/cases/{aid_case}/legal-aid/{aid}/grant", "D D D A D D D D A D L"),
    Row("legal_aid.step_of", "POST", "/cases/{aid_case}/legal-aid/{aid}/close", "D D D A D D D D A D L"),
    Row("litigation.step",   "GET",  "/cases/{case}/litigation/file",           "A D D D D D D D A D L"),
    Row("litigation.step",   "POST", "/cases/{case}/litigation/file",           "A D D D D D D D A D L"),
    Row("litigation.step_of", "GET",  "/cases/{suit_case}/litigation/{suit}/docket", "A D D D D D A A A D L"),
    Row("litigation.step_of", "GET",  "/cases/{suit_case}/litigation/{suit}/record-item-results",
        "D D D D D D D A A D L"),
    Row("litigation.step_of", "POST", "/cases/{suit_case}/litigation/{suit}/appeal", "A D D D D D A A A D L"),
    Row("service.case_service",     "GET",  "/cases/{case}/service",   "A D A D D A D D A D L"),
    Row("service.case_service",     "POST", "/cases/{case}/service",   "A D A D D D D D A D L", SERVE),
    Row("service.case_service",     "GET",  "/cases/{street_case}/service", "D D D D D D D D D D L"),
    Row("service.receipt",          "GET",  "/cases/{case}/service/{service}/receipt.pdf", "A D A D D A D D A D L"),
    Row("service.case_file_pdf",    "GET",  "/cases/{case}/case-file.pdf", "A D D D D D D D A D L"),
    Row("service.hearing_day_pdf",  "GET",  "/arbitration/hearing-day/2026-12-08", "A D D D D D A D A D L"),
    # Documents (issue 5): {doc_case} is a centre case with an accepted arbitration, {doc} its issued notice.
    Row("documents.stylesheet", "GET",  "/documents/document.css",                    "A A A A A A A A A A A"),
    # Issue 14: an arbitrator not assigned to the case (no tribunal yet) opens none of its documents.
    Row("documents.preview",    "GET",  "/cases/{doc_case}/documents/arb_acceptance/preview", "A D D D D D D D A D L"),
    Row("documents.preview",    "POST", "/cases/{doc_case}/documents/arb_application/preview", "A D D D D D D D A D L",
        REASON),
    Row("documents.preview",    "GET",  "/cases/{street_case}/documents/arb_acceptance/preview",
        "D D D D D D D D D D L"),
    Row("documents.issue",      "POST", "/cases/{doc_case}/documents/arb_acceptance/issue", "A D D D D D D D A D L",
        {"key": "", "lang": "zh_CN"}),
    Row("documents.reissue",    "POST", "/cases/{doc_case}/documents/arb_acceptance/reissue", "A D D D D D D D A D L",
        {"key": "", "lang": "en"}),
    Row("documents.download",   "GET",  "/documents/{doc}.pdf",                       "A D D D D D D D A D L"),
    # The centre case's document (id 9001): its assigned mediator and lawyer read it.
    Row("documents.download",   "GET",  "/documents/9001.pdf",                        "A D A D D A D D A D L"),
    Row("documents.verify_form", "GET", "/verify",                                    "A A A A A A A A A A A"),
    Row("documents.verify_form", "POST", "/verify",                                   "A A A A A A A A A A A",
        {"code": "0000000000"}),
    Row("documents.verify_code", "GET", "/verify/{doc_code}",                         "A A A A A A A A A A A"),
    Row("documents.verify_code", "POST", "/verify/{doc_code}",                        "A A A A A A A A A A A"),
    Row("documents.seals_page", "GET",  "/documents/seals",                           "D D D D D D D D D A L"),
    Row("documents.seal_image", "GET",  "/documents/seals/{sealed_unit}.png",         "D D D D D D D D D A L"),
    Row("documents.seal_upload", "POST", "/documents/seals/{unit}",                   "D D D D D D D D D A L"),
    Row("documents.seal_delete", "POST", "/documents/seals/{unit}/delete",            "D D D D D D D D D A L"),
    Row("documents.numbers",    "GET",  "/documents/numbers",                         "D D D D D D D D D A L"),
    Row("documents.numbers",    "POST", "/documents/numbers",                         "D D D D D D D D D A L",
        {"unit_id": "1", "family": "arbitration_doc", "pattern": "{code}仲字〔{year}〕第{seq}号"}),
    Row("ledger.upload",            "GET",  "/ledger",                 "A A A D D D A D A D L"),
    Row("ledger.upload",            "POST", "/ledger",                 "A A A D D D A D A D L"),
    Row("ledger.job",               "GET",  "/ledger/jobs/{job}",      "A D D D D D D D D D L"),
    Row("ledger.status",            "GET",  "/ledger/jobs/{job}/status", "A D D D D D D D D D L"),
    Row("ledger.errors_csv",        "GET",  "/ledger/jobs/{job}/errors.csv", "A D D D D D D D D D L"),
    Row("ledger.retry",             "POST", "/ledger/jobs/{job}/retry", "A D D D D D D D D D L"),
    Row("ledger.export_cases",      "GET",  "/ledger/export?format=csv&status=open", "A A A A A A A A A D L"),
    Row("ledger.export_cases",      "GET",  "/ledger/export?format=xlsx", "A A A A A A A A A D L"),
    Row("ledger.export_cases",      "POST", "/ledger/export?format=csv", "A A A A A A A A A D L", REASON),
    Row("auth.logout",              "POST", "/logout",                 "O O O O O O O O O O L"),
    # Operations (issue 19): health checks for the load balancer; /metrics only by token or address allow-list,
    # neither of which the tests' app sets, so refused to everyone.
    Row("ops.healthz",              "GET",  "/healthz",                "A A A A A A A A A A A"),
    Row("ops.readyz",               "GET",  "/readyz",                 "A A A A A A A A A A A"),
    Row("ops.metrics",              "GET",  "/metrics",                "D D D D D D D D D D D"),
    # The SMS provider's delivery reports: its signature, never a session (issue 20).
    Row("gateway.sms_reports",      "POST", "/gateway/sms/reports",    "D D D D D D D D D D D"),
    # The parties' side (issue 20): open pages answer everyone; a party's pages want a party's sign-in.
    Row("portal.start",             "GET",  "/portal/",                "A A A A A A A A A A A"),
    Row("portal.language",          "POST", "/portal/language",        "A A A A A A A A A A A", {"locale": "en"}),
    Row("portal.sign_in",           "GET",  "/portal/sign-in",         "A A A A A A A A A A A"),
    Row("portal.sign_in",           "POST", "/portal/sign-in",         "A A A A A A A A A A A",
        {"contact": "13700137000"}),
    Row("portal.verify",            "GET",  "/portal/sign-in/code",    "A A A A A A A A A A A"),
    Row("portal.verify",            "POST", "/portal/sign-in/code",    "A A A A A A A A A A A", {"code": "123456"}),
    Row("portal.sign_out",          "POST", "/portal/sign-out",        "A A A A A A A A A A A"),
    Row("portal.cases",             "GET",  "/portal/cases",           "P P P P P P P P P P P"),
    Row("portal.case",              "GET",  "/portal/cases/{case}",    "P P P P P P P P P P P"),
    Row("portal.apply_who",         "GET",  "/portal/apply",           "A A A A A A A A A A A"),
    Row("portal.apply_who",         "POST", "/portal/apply",           "A A A A A A A A A A A"),
    Row("portal.apply_employer",    "GET",  "/portal/apply/employer",  "A A A A A A A A A A A"),
    Row("portal.apply_employer",    "POST", "/portal/apply/employer",  "A A A A A A A A A A A"),
    Row("portal.apply_claims",      "GET",  "/portal/apply/claims",    "A A A A A A A A A A A"),
    Row("portal.apply_claims",      "POST", "/portal/apply/claims",    "A A A A A A A A A A A"),
    Row("portal.apply_evidence",    "GET",  "/portal/apply/evidence",  "A A A A A A A A A A A"),
    Row("portal.apply_evidence",    "POST", "/portal/apply/evidence",  "A A A A A A A A A A A"),
    Row("portal.apply_confirm",     "GET",  "/portal/apply/confirm",   "A A A A A A A A A A A"),
    Row("portal.apply_confirm",     "POST", "/portal/apply/confirm",   "A A A A A A A A A A A"),
    Row("portal.apply_done",        "GET",  "/portal/apply/done",      "A A A A A A A A A A A"),
    Row("portal.collective",        "GET",  "/portal/collective/{token}", "A A A A A A A A A A A"),
    Row("portal.collective_join",   "POST", "/portal/collective/{token}/join", "A A A A A A A A A A A"),
    Row("portal.collective_vote",   "POST", "/portal/collective/{token}/vote", "A A A A A A A A A A A"),
    # The clerk's check queue and the failed deliveries: whoever registers cases, within their units.
    Row("applications.queue",       "GET",  "/applications",           "A A A D D D A D A D L"),
    Row("applications.detail",      "GET",  "/applications/{application}", "A D D D D D D D A D L"),
    Row("applications.detail",      "POST", "/applications/{application}", "A D D D D D D D A D L",
        {"action": "refuse", "reason": ""}),
    Row("applications.upload",      "GET",  "/applications/{application}/uploads/{upload}", "A D D D D D D D A D L"),
    Row("applications.failed_messages", "GET", "/messages/failed",     "A A A D D D A D A D L"),
    Row("portal.consent",           "GET",  "/portal/cases/{case}/consent", "P P P P P P P P P P P"),
    Row("portal.consent",           "POST", "/portal/cases/{case}/consent", "P P P P P P P P P P P"),
    Row("portal.served",            "GET",  "/portal/served/1",        "P P P P P P P P P P P"),
    Row("portal.served",            "POST", "/portal/served/1",        "P P P P P P P P P P P"),
    Row("portal.served_pdf",        "GET",  "/portal/served/1/document.pdf", "P P P P P P P P P P P"),
    Row("applications.eservice_page", "GET", "/cases/{case}/e-service", "A D A D D D D D A D L"),
    Row("applications.eservice_send", "POST", "/cases/{case}/e-service/send", "A D A D D D D D A D L"),
    Row("applications.eservice_consent", "POST", "/cases/{case}/e-service/consent", "A D A D D D D D A D L"),
    Row("applications.resend",      "POST", "/messages/{message}/resend", "A A A D D D A D A D L"),
]
# fmt: on
MACHINE_ONLY = {"ops.metrics", "gateway.sms_reports"}


def test_table_covers_every_route(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    rows = {(row.endpoint, row.method) for row in TABLE}
    assert routes - rows == set(), "routes without a row in the permission table"
    assert rows - routes == set(), "rows for routes the app does not have"


def test_table_rows_are_well_formed():
    for row in TABLE:
        assert set(row.outcomes().values()) <= {"A", "D", "L", "O", "P"}, row
        if row.endpoint in MACHINE_ONLY:
            continue  # read by Prometheus, not a person: no sign-in page to send anyone to
        assert row.outcomes()["anonymous"] in {"A", "L", "P"}, "anonymous is never shown a 403, but the sign-in page"


@pytest.fixture
def world(db, org, make_case):
    """The centre case, a street case the centre cannot see, and targets for the admin rows."""
    district_supervisor = organisation.add_user(
        db.session, "district-sup", "区级主管", [Role.SUPERVISOR], org.district, PASSWORD
    )
    db.session.commit()
    case = make_case(org.centre)
    street_case = make_case(org.street_mediation, actor=district_supervisor)
    med_case, aid_case, suit_case = make_case(org.centre), make_case(org.centre), make_case(org.centre)
    Driver(db.session, org, med_case).mediation(MediationState.ACCEPTED)
    aid = Driver(db.session, org, aid_case).legal_aid(LegalAidState.APPLIED)
    suit = Driver(db.session, org, suit_case).lawsuit(LawsuitState.FILED)
    room = reference.add_hearing_room(db.session, org.arbitration, "第二仲裁庭")
    document = fake_issue(db.session, case, "med_application", id=int(SERVE["document_id"]))
    document.issued_at = FROZEN_AT
    service = record_service(
        db.session,
        case,
        org.user(Role.CLERK),
        document,
        case.applicants[0],
        ServiceInput(method=ServiceMethod.IN_PERSON, served_at=FROZEN_AT, recipient="张三"),
    )
    db.session.commit()
    assert (document.id, case.respondents[0].id) == (int(SERVE["document_id"]), int(SERVE["party_id"]))
    doc_case = accepted_case(db, org, make_case)
    doc = issuing.issue(db.session, doc_case, "arb_acceptance", "", org.user(Role.CLERK))
    seals.set_seal(db.session, org.arbitration, seal_png(), org.user(Role.ADMIN))
    job = LedgerImport(
        file_name="ledger.csv",
        content=b"registry_no\n",
        status="invalid",
        rows_total=0,
        created_by_id=org.user(Role.CLERK).id,
        finished_at=FROZEN_AT,
        errors=[{"row": 1, "column": "unit_code", "message": "required column is missing"}],
    )
    db.session.add(job)
    recompute = CalendarRecompute(
        first=date(2026, 2, 16),
        last=date(2026, 2, 16),
        change="+ 2026-02-16",
        status="done",
        finished_at=FROZEN_AT,
        created_by_id=org.user(Role.ADMIN).id,
    )
    db.session.add(recompute)
    db.session.commit()
    assert org.mediation.id == int(OPEN_MEDIATION["unit_id"])
    mediator = org.user(Role.MEDIATOR)
    assert mediator.id == int(CONFLICT["user_id"])
    absence = allocation.record_absence(
        db.session, org.user(Role.SUPERVISOR), mediator, FROZEN_AT.date(), FROZEN_AT.date()
    )
    skill = StaffSkill(user_id=mediator.id, kind=SkillKind.CATEGORY, value="wages")
    db.session.add(skill)
    # A transfer from the street committee to the district's, waiting for the district's answer (the row alone:
    # the street case has no mediation, so an answer is refused by the domain and the matrix sees who gets there).
    transfer = CaseTransfer(
        case_id=street_case.id,
        track=TransferTrack.MEDIATION,
        from_unit_id=org.street_mediation.id,
        to_unit_id=org.mediation.id,
        reason="属地管辖",
        requested_at=FROZEN_AT,
    )
    db.session.add(transfer)
    links.link(db.session, org.user(Role.CLERK), case, make_case(org.centre), LinkKind.SAME_EMPLOYER)
    db.session.commit()
    return {
        "case": case.id,
        "street_case": street_case.id,
        "claim": case.claims[0].id,
        "street_claim": street_case.claims[0].id,
        "user": org.user(Role.COURT_LIAISON).id,
        "unit": org.street_mediation.id,
        "med_case": med_case.id,
        "aid_case": aid_case.id,
        "aid": aid.id,
        "suit_case": suit_case.id,
        "suit": suit.id,
        "room": room.id,
        "service": service.id,
        "doc_case": doc_case.id,
        "doc": doc.id,
        "doc_code": doc.code,
        "sealed_unit": org.arbitration.id,
        "job": job.id,
        "recompute": recompute.id,
        "absence": absence.id,
        "skill": skill.id,
        "transfer": transfer.id,
        **_portal_world(db, org),
    }


def outcome(response) -> str:
    if response.status_code == 403:
        return "D"
    if response.status_code in (301, 302, 303):
        target = urlsplit(response.headers["Location"])
        return {"/login": "L", "/portal/sign-in": "P"}.get(target.path, "A")
    if response.status_code in (200, 409):  # 409: let in, and the form shown again (it carried no case version)
        return "A"
    return f"unexpected {response.status_code}"


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_permission_matrix(principal, db, org, world, client, login):
    if principal != "anonymous":
        role = Role(principal.rstrip("*"))
        if principal in ASSIGNED:
            db.session.add(CaseAssignment(case_id=world["case"], user_id=org.user(role).id, role=ASSIGNED[principal]))
            db.session.commit()
        login(org.user(role))

    expected, actual = {}, {}
    # Signing out ends the session, so the logout row runs last.
    for row in sorted(TABLE, key=lambda r: r.endpoint == "auth.logout"):
        label = f"{row.method} {row.path}"
        path = row.path.format(**world)
        response = client.open(path, method=row.method, data=row.data)
        want = row.outcomes()[principal]
        got = outcome(response)
        if want == "O" and got == "L":
            after = client.get("/account")
            got = "O" if outcome(after) == "L" else "still signed in"
        expected[label], actual[label] = want, got
    assert actual == expected


@pytest.mark.parametrize("path", ["/account", "/cases", "/cases/new", "/admin/users", "/admin/units/1"])
def test_anonymous_is_sent_to_login_with_next(client, org, path):
    response = client.get(path)
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == "/login"
    assert parse_qs(target.query)["next"] == [path]


def test_denied_write_changes_nothing(db, org, world, login):
    """A 403 on a write route leaves the case as it was (no flag change, no timeline entry)."""
    from disputes.models import Case, TimelineEntry

    client = login(org.user(Role.ARBITRATOR))
    before = db.session.query(TimelineEntry).count()
    assert client.post(f"/cases/{world['case']}/flags", data=FLAGS).status_code == 403
    assert client.post(f"/cases/{world['case']}/reveal", data=REASON).status_code == 403
    db.session.expire_all()
    assert db.session.get(Case, world["case"]).green_channel is False
    assert db.session.query(TimelineEntry).count() == before


def test_assignment_must_be_active(db, org, world, login):
    """An ended assignment no longer opens the case."""
    lawyer = org.user(Role.LAWYER)
    assignment = CaseAssignment(case_id=world["case"], user_id=lawyer.id, role=Role.LAWYER)
    db.session.add(assignment)
    db.session.commit()
    client = login(lawyer)
    assert client.get(f"/cases/{world['case']}").status_code == 200
    assignment.active = False
    db.session.commit()
    assert client.get(f"/cases/{world['case']}").status_code == 403


def test_supervisor_above_the_street_sees_the_street_case(db, org, world, login):
    """The street case is hidden from the centre by scope, not by accident: the district supervisor reads it."""
    client = login("district-sup")
    assert client.get(f"/cases/{world['street_case']}").status_code == 200
    assert client.get(f"/cases/{world['case']}").status_code == 200
    centre = login(org.user(Role.SUPERVISOR))
    assert centre.get(f"/cases/{world['street_case']}").status_code == 403


def test_unknown_case_is_404_for_a_reader_and_403_for_admin(org, login):
    assert login(org.user(Role.CLERK)).get("/cases/999999").status_code == 404
    assert login(org.user(Role.ADMIN)).get("/cases/999999").status_code == 403
