"""Every form of the app, posted with hostile values by a signed-in user who may use it (issue 14).

For each WTForms form class of the app (found by walking `disputes`, so a new form must be added here), hypothesis
fills its fields with random and hostile values — text with control characters, invisible-only text, very long
strings, odd Unicode, huge numbers, NaN and infinities, dates of the years 1 and 9999, wrong types, bogus choices,
random bytes for files — and posts them to the form's page. One field always gets a value that must be refused.
The answer is a form error or a 4xx (or a redirect to a page showing the error), never a 500, and a refused post
leaves every table's row count as it was. The hidden fields (the case version, the one-time token) are those the
page gave: their own attacks are in test_security_concurrency.py.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_wtf.file import FileField
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms import (
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    PasswordField,
    SelectFieldBase,
    StringField,
    TimeField,
)
from wtforms.fields.datetime import DateTimeLocalField

import disputes
from disputes import clock
from disputes.models import CalendarRecompute, CaseTransfer, HearingRoom, LinkKind, Role, TransferTrack
from disputes.workflow import allocation, hearings, links, transfers
from disputes.workflow import mediation as mediation_ops
from disputes.workflow.actions import ACTIONS, refusal
from disputes.workflow.interruptions import decide_suspension, request_suspension
from disputes.workflow.states import (
    ArbitrationState,
    ConfirmationKind,
    LawsuitState,
    LegalAidState,
    MediationState,
    SuspensionGround,
    Track,
)
from tests.conftest import PASSWORD
from tests.documents_fixtures import accepted_case
from tests.drive import Driver
from tests.issued import fake_issue
from tests.pages import classes, parse
from tests.portal_support import portal_world

EXAMPLES = 4  # per form: enough to meet every kind of field over the runs, small enough for well under a minute


# --- the forms of the app -----------------------------------------------------------------------------------------


def app_form_classes(app) -> list[type]:
    """Every WTForms form class defined in the app's modules (page forms and the row forms inside them)."""
    for module in pkgutil.walk_packages(disputes.__path__, "disputes."):
        importlib.import_module(module.name)

    found, todo = set(), [Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("disputes."):
                found.add(sub)
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def page_forms(app) -> list[type]:
    """The forms posted to a page: neither the bases nor the repeatable rows inside a form."""
    from disputes.cases.forms import RowForm
    from disputes.web.fields import AppForm, AppRowForm, VersionedForm
    from disputes.web.steps import StepForm

    bases = {AppForm, AppRowForm, VersionedForm, StepForm, RowForm}
    return [c for c in app_form_classes(app) if c not in bases and not issubclass(c, AppRowForm)]


def key(form_cls) -> str:
    return f"{form_cls.__module__.removeprefix('disputes.')}.{form_cls.__name__}"


# --- hostile values -----------------------------------------------------------------------------------------------

CONTROLS = ["\x00", "\x01", "\x08", "\x1b", "\x7f", "\x85", "\x9f", "\u202e", "\u2066", "\u2028", "\U000e0041"]
INVISIBLE = ["\u200b", "\u200b\u200c\u200d", "\ufeff", "\u3164", "\u2800\u2800", "\u115f"]
ODD = [
    "𠀀𠀁",
    "ﾟ∀ﾟ",
    "Z͑ͫ̓ͪ̂ͫ̽͏̴̙̤̞͉͚̯̞̠͍",
    "١٢٣",
    "ＡＢＣ",
    "'; DROP TABLE cases; --",
    "<script>x</script>",
    "{{7*7}}",
    "%(x)s",
    "${x}",
    "../../etc/passwd",
    "\\",
    "🙂" * 50,
    "None",
    "null",
    "true",
    "[]",
    "{}",
]
NUMBERS = [
    "NaN",
    "nan",
    "-Infinity",
    "Infinity",
    "sNaN",
    "1e999999",
    "-1e999999",
    "9" * 40,
    "-" + "9" * 40,
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    "abc",
    "1,5",
    "0x10",
    "1e-999999",
]
DATES = ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01", "2026-02-30", "2026-13-01", "NaN", "9" * 12]
DATETIMES = ["9999-12-31T23:59", "0001-01-01T00:00", "2101-01-01T10:00", "2026-02-30T10:00", "x"]
TIMES = ["25:61", "-1:00", "99999", "x"]

text = st.text(max_size=30)
hostile_text = st.one_of(
    st.builds(lambda a, c, b: a + c + b, text, st.sampled_from(CONTROLS), text),
    st.sampled_from(INVISIBLE),
    st.sampled_from(ODD),
    st.builds(lambda c, n: c * n, st.sampled_from(["张", "a", "\u200b"]), st.integers(1000, 20000)),
)
anything = st.one_of(text, hostile_text, st.sampled_from(NUMBERS + DATES + DATETIMES), st.just(""))


@dataclass
class Input:
    name: str
    field: object
    choices: list = field(default_factory=list)

    @property
    def kind(self) -> str:
        f = self.field
        if isinstance(f, HiddenField):
            return "hidden"
        if isinstance(f, FileField | MultipleFileField):
            return "file"
        if isinstance(f, PasswordField):
            return "password"
        if isinstance(f, StringField):
            return "text"
        if isinstance(f, IntegerField | DecimalField | FloatField):
            return "number"
        if isinstance(f, TimeField):
            return "time"
        if isinstance(f, DateTimeLocalField | DateTimeField):
            return "datetime"
        if isinstance(f, DateField):
            return "date"
        if isinstance(f, BooleanField):
            return "boolean"
        if isinstance(f, SelectFieldBase):
            return "select"
        raise AssertionError(f"no strategy for {type(f).__name__} {self.name}")


# A value of this kind of field that the form must refuse, whatever the form.
MUST_REFUSE = {
    "text": st.one_of(
        st.builds(lambda a, c, b: a + c + b, text, st.sampled_from(CONTROLS), text), st.sampled_from(INVISIBLE)
    ),
    "password": st.builds(lambda a, c, b: a + c + b, text, st.sampled_from(CONTROLS), text),
    "number": st.sampled_from(NUMBERS[:13] + ["abc", "0x10"]),
    "date": st.sampled_from(DATES),
    "datetime": st.sampled_from(DATETIMES),
    "time": st.sampled_from(TIMES),
}


def noise(item: Input):
    kind = item.kind
    if kind == "boolean":
        return st.sampled_from(["y", "", "n", "\x00"])
    if kind == "select":
        return st.one_of(st.sampled_from(item.choices or [""]), anything)
    if kind == "number":
        return st.one_of(st.integers(-(10**6), 10**6).map(str), st.sampled_from(NUMBERS), anything)
    if kind == "date":
        return st.one_of(st.dates(date(1990, 1, 1), date(2030, 12, 31)).map(str), st.sampled_from(DATES), anything)
    return anything


def inputs_of(form_cls, app) -> list[Input]:
    """The fields a browser would post, with their names (rows inside a form as `rows-0-name`)."""
    with app.test_request_context():
        form = form_cls(formdata=None)
        found = []

        def walk(fields):
            for f in fields:
                if isinstance(f, FormField):
                    walk(f.form)
                elif hasattr(f, "entries"):
                    for entry in f.entries:
                        walk(entry.form if isinstance(entry, FormField) else [entry])
                elif type(f).__name__ != "CSRFTokenField":
                    choices = [str(c[0]) for c in (getattr(f, "choices", None) or []) if isinstance(c, tuple | list)]
                    found.append(Input(f.name, f, choices))

        walk(form)
        return found


# --- posting and judging ------------------------------------------------------------------------------------------


def row_counts(db) -> tuple[tuple[str, int], ...]:
    """Every table's row count, in one statement."""
    tables = db.metadata.sorted_tables
    counts = sa.select(*(sa.select(sa.func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables))
    with db.engine.connect() as conn:
        return tuple(zip([t.name for t in tables], conn.execute(counts).one(), strict=True))


def shows_an_error(response) -> bool:
    doc = parse(response)
    return any({"error", "has-error", "flash-error"} & set(classes(e)) for e in doc.iter())


def refused(client, response) -> bool:
    if 400 <= response.status_code < 500:
        return True
    if response.status_code == 200:
        return shows_an_error(response)
    if response.status_code in (302, 303):
        return shows_an_error(client.get(response.headers["Location"]))
    return False


def hidden_inputs(client, page_url: str, post_url: str) -> dict:
    """The hidden values of the form on `page_url` that posts to `post_url` (the page's token, version, key…)."""
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    for form in parse(page).iter("form"):
        action = form.get("action") or page_url.split("?")[0]
        if action == post_url:
            return {
                e.get("name"): e.get("value") or ""
                for e in form.iter("input")
                if e.get("type") == "hidden" and e.get("name") and e.get("name") != "csrf_token"
            }
    raise AssertionError(f"no form posting to {post_url} on {page_url}")


def fuzz(db, client, form_cls, app, post_url: str, hidden: dict, *, ignore_tables=()):
    items = [i for i in inputs_of(form_cls, app) if i.kind != "hidden" or i.name not in hidden]
    items = [i for i in items if i.kind != "hidden"]
    targets = [i for i in items if i.kind in MUST_REFUSE]
    multipart = any(i.kind == "file" for i in items)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def post(data):
        target = data.draw(st.sampled_from(targets)) if targets else None
        values = dict(hidden)
        for item in items:
            if item is target:
                values[item.name] = data.draw(MUST_REFUSE[item.kind])
            elif item.kind == "file":
                values[item.name] = (io.BytesIO(data.draw(st.binary(max_size=2000))), "x.png")
            else:
                values[item.name] = data.draw(noise(item))
        extra = data.draw(
            st.sampled_from(
                [{}, {f"{items[0].name if items else 'x'}-99999999999999999999-name": "x"}, {"unexpected": "\x00"}]
            )
        )
        values.update(extra)
        before = row_counts(db)
        response = client.post(post_url, data=values, content_type="multipart/form-data" if multipart else None)
        assert response.status_code != 500, (key(form_cls), target and target.name, values)
        was_refused = refused(client, response)
        if target is not None:
            assert was_refused, (key(form_cls), target.name, values[target.name], response.status_code)
        if was_refused:
            changed = {t for (t, n), (_, m) in zip(before, row_counts(db), strict=True) if n != m}
            assert not changed - set(ignore_tables), (key(form_cls), changed, values)

    post()


# --- the pages, the users, the cases ------------------------------------------------------------------------------


def signed_in(app, username):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


SAME = "same"


@dataclass
class Page:
    user: str | None  # None: signed out
    post: str
    page: str | None = SAME  # where the form is shown, for its hidden values (None: it has none to give)
    ignore: tuple = ()  # tables a refused post may still add to (an import job records its failure)


def page_targets(world) -> dict[str, Page]:
    c, doc_case, unit, med = world["case"], world["doc_case"], world["unit"], world["med_case"]
    return {
        "auth.forms.LoginForm": Page(None, "/login"),
        "auth.forms.LanguageForm": Page("clerk", "/language", page=None),
        "auth.forms.PasswordChangeForm": Page("clerk", "/account"),
        "cases.forms.IntakeForm": Page("clerk", "/cases/new"),
        "cases.forms.FlagsForm": Page("supervisor", f"/cases/{c}/flags", page=f"/cases/{c}"),
        "cases.forms.RevealForm": Page("clerk", f"/cases/{c}/reveal", page=None),
        "cases.forms.LimitationForm": Page("clerk", f"/cases/{c}/limitation", page=f"/cases/{c}"),
        "cases.claim_forms.ClaimFactsForm": Page("clerk", f"/cases/{c}/claims/{world['claim']}"),
        "sla_web.forms.MarkReadForm": Page("clerk", "/notifications/read", page=None),
        "documents_web.forms.IssueForm": Page(
            "clerk", f"/cases/{doc_case}/documents/arb_acceptance/issue", page=f"/cases/{doc_case}"
        ),
        "documents_web.forms.VerifyForm": Page("clerk", "/verify"),
        "documents_web.forms.UploadForm": Page("clerk", f"/verify/{world['code']}", page=None),
        "documents_web.forms.SealForm": Page("admin", f"/documents/seals/{unit}", page=None),
        "documents_web.forms.PatternForm": Page("admin", "/documents/numbers"),
        "ledger_web.forms.UploadForm": Page("clerk", "/ledger", ignore=("ledger_imports",)),
        "documents_web.service_forms.ServiceForm": Page("clerk", f"/cases/{doc_case}/service"),
        "admin.forms.UserForm": Page("admin", "/admin/users/new"),
        "admin.forms.UserEditForm": Page("admin", f"/admin/users/{world['clerk']}"),
        "admin.forms.PasswordResetForm": Page("admin", f"/admin/users/{world['clerk']}/password", page=None),
        "admin.forms.UnitForm": Page("admin", "/admin/units/new"),
        "admin.forms.UnitEditForm": Page("admin", f"/admin/units/{unit}"),
        "admin.reference_forms.MinimumWageForm": Page("admin", "/admin/minimum-wages/new"),
        "admin.reference_forms.FinalityRuleForm": Page("admin", "/admin/finality-rules/new"),
        "admin.reference_forms.HearingRoomForm": Page("admin", "/admin/hearing-rooms/new"),
        "admin.reference_forms.HearingRoomEditForm": Page("admin", f"/admin/hearing-rooms/{world['room']}"),
        "admin.sla_forms.CalendarDayForm": Page("admin", "/admin/calendar/new"),
        "admin.sla_forms.CalendarDayEditForm": Page("admin", "/admin/calendar/2026-10-01"),
        "admin.sla_forms.CalendarImportForm": Page("admin", "/admin/calendar/import"),
        "admin.sla_forms.CalendarYearForm": Page("admin", "/admin/calendar/years", page=None),
        "admin.sla_forms.RuleForm": Page("admin", "/admin/rules/arbitration.award"),
        "admin.sla_forms.RetryRecomputeForm": Page(
            "admin", f"/admin/calendar/recomputes/{world['recompute']}/retry", page=None
        ),
        "admin.target_forms.TargetForm": Page("admin", "/admin/targets"),
        "cases.allocation_forms.RouteForm": Page("clerk", f"/cases/{c}/route", page=f"/cases/{c}"),
        "cases.allocation_forms.AssignForm": Page("supervisor", f"/cases/{med}/assign", page=f"/cases/{med}"),
        "cases.allocation_forms.ConflictForm": Page("supervisor", f"/cases/{med}/conflict", page=f"/cases/{med}"),
        "cases.allocation_forms.BulkForm": Page("supervisor", "/cases/bulk", page="/cases"),
        "arbitration.approval_views.BulkApprovalForm": Page("supervisor", "/arbitration/closures", page=None),
        "admin.allocation_forms.RuleForm": Page("admin", "/admin/allocation/rule", page="/admin/allocation"),
        "admin.allocation_forms.AbsenceForm": Page("admin", "/admin/allocation/absences", page="/admin/allocation"),
        "admin.allocation_forms.SkillForm": Page("admin", "/admin/allocation/skills", page="/admin/allocation"),
        "admin.allocation_forms.DeleteForm": Page(
            "admin", f"/admin/allocation/absences/{world['absence']}/delete", page=None
        ),
        "cases.transfer_forms.TransferForm": Page("supervisor", f"/cases/{med}/transfer", page=f"/cases/{med}"),
        "cases.transfer_forms.AcceptTransferForm": Page(
            "supervisor", f"/transfers/{world['transfer']}/accept", page="/transfers"
        ),
        "cases.transfer_forms.ReturnTransferForm": Page(
            "supervisor", f"/transfers/{world['transfer']}/return", page="/transfers"
        ),
        "cases.transfer_forms.DelegationForm": Page("supervisor", f"/cases/{med}/delegation", page=None),
        "cases.transfer_forms.DelegationReturnForm": Page(
            "supervisor", f"/cases/{med}/delegation/return", page=f"/cases/{med}"
        ),
        "cases.transfer_forms.LinkForm": Page("supervisor", f"/cases/{c}/links", page=f"/cases/{c}"),
        "cases.transfer_forms.GroupHearingForm": Page("supervisor", f"/cases/{c}/group/hearing", page=f"/cases/{c}"),
        "cases.transfer_forms.GroupServiceForm": Page("supervisor", f"/cases/{c}/group/service", page=None),
        "cases.transfer_forms.GroupClosureForm": Page("supervisor", f"/cases/{c}/group/closure", page=f"/cases/{c}"),
        # last: taking the case out dissolves the world's group of two
        "cases.transfer_forms.UnlinkForm": Page("supervisor", f"/cases/{c}/links/remove", page=None),
        "portal.forms.LanguageForm": Page(None, "/portal/language", page=None),
        "portal.forms.SignOutForm": Page(None, "/portal/sign-out", page=None),
        "portal.forms.ContactForm": Page(None, "/portal/sign-in"),
        "portal.forms.CodeForm": Page(None, "/portal/sign-in/code", page=None),
        "portal.forms.WhoForm": Page(None, "/portal/apply"),
        "portal.forms.EmployerForm": Page(None, "/portal/apply/employer", page=None),
        "portal.forms.ClaimsForm": Page(None, "/portal/apply/claims", page=None),
        "portal.forms.EvidenceForm": Page(None, "/portal/apply/evidence", page=None),
        "portal.forms.ConfirmForm": Page(None, "/portal/apply/confirm", page=None),
        "portal.forms.JoinForm": Page(
            None, f"/portal/collective/{world['token']}/join", page=f"/portal/collective/{world['token']}"
        ),
        "portal.forms.VoteForm": Page(
            None, f"/portal/collective/{world['token']}/vote", page=f"/portal/collective/{world['token']}"
        ),
        "applications_web.views.DecisionForm": Page("clerk", f"/applications/{world['application']}"),
        "portal.forms.ConsentForm": Page(None, f"/portal/cases/{c}/consent", page=None),
        "portal.forms.OpenForm": Page(None, "/portal/served/1", page=None),
        "applications_web.views.EServiceForm": Page(
            "clerk", f"/cases/{c}/e-service/send", page=f"/cases/{c}/e-service"
        ),
        "applications_web.views.PaperConsentForm": Page(
            "clerk", f"/cases/{c}/e-service/consent", page=f"/cases/{c}/e-service"
        ),
        "applications_web.views.ResendForm": Page("clerk", f"/messages/{world['message']}/resend", page=None),
    }


def page_world(db, org, make_case) -> dict:
    case = make_case()
    doc_case = accepted_case(db, org, make_case)
    issued = fake_issue(db.session, doc_case, "arb_respondent_notice", unit=org.arbitration)
    room = HearingRoom(unit_id=org.arbitration.id, name="第一仲裁庭")
    db.session.add(room)
    med_case = make_case()
    Driver(db.session, org, med_case).mediation(MediationState.ACCEPTED)
    absence = allocation.record_absence(
        db.session, org.user(Role.ADMIN), org.user(Role.MEDIATOR), clock.today_local(), clock.today_local()
    )
    recompute = CalendarRecompute(first=date(2026, 10, 1), last=date(2026, 10, 1), change="+", status="done")
    db.session.add(recompute)
    # A transfer waiting for the supervisor's answer (the row alone: its case has no mediation, so an answer is
    # refused), a linked group, and a court's delegated mediation on the mediation case.
    transfer = CaseTransfer(
        case_id=case.id,
        track=TransferTrack.MEDIATION,
        from_unit_id=org.street_mediation.id,
        to_unit_id=org.mediation.id,
        reason="属地管辖",
        requested_at=clock.now_utc(),
    )
    db.session.add(transfer)
    links.link(db.session, org.user(Role.CLERK), case, make_case(), LinkKind.SAME_EMPLOYER)
    transfers.record_delegation(
        db.session,
        med_case,
        org.user(Role.SUPERVISOR),
        kind="delegated",
        court="龙岗区人民法院",
        court_reference="诉前调1号",
    )
    db.session.commit()
    return {
        "recompute": recompute.id,
        "transfer": transfer.id,
        "case": case.id,
        "claim": case.claims[0].id,
        "doc_case": doc_case.id,
        "unit": org.arbitration.id,
        "clerk": org.user(Role.CLERK).id,
        "room": room.id,
        "code": issued.code,
        "med_case": med_case.id,
        "absence": absence.id,
        **portal_world(db, org),
    }


def form_class(app, name: str) -> type:
    return next(c for c in page_forms(app) if key(c) == name)


def test_every_page_form_has_a_page_here(app):
    from disputes.web.steps import StepForm

    fake = {
        "recompute": 1,
        "transfer": 1,
        "case": 1,
        "doc_case": 1,
        "unit": 1,
        "clerk": 1,
        "room": 1,
        "code": "x",
        "med_case": 1,
        "absence": 1,
        "token": "t",
        "application": 1,
        "message": 1,
        "claim": 1,
    }
    pages = set(page_targets(fake))
    forms = page_forms(app)
    missing = [key(c) for c in forms if not issubclass(c, StepForm) and key(c) not in pages]
    assert not missing, f"add these forms to page_targets: {missing}"
    assert len(forms) > 60


def test_page_forms_refuse_hostile_input(app, db, org, make_case):
    world = page_world(db, org, make_case)
    clients = {}
    for name, page in page_targets(world).items():
        if page.user not in clients:
            clients[page.user] = app.test_client() if page.user is None else signed_in(app, page.user)
        client = clients[page.user]
        shown = page.post if page.page == SAME else page.page
        hidden = hidden_inputs(client, shown, page.post) if shown else {}
        fuzz(db, client, form_class(app, name), app, page.post, hidden, ignore_tables=page.ignore)


# --- the workflow steps -------------------------------------------------------------------------------------------


def step_cases(db, org, make_case, track: Track) -> list:
    """Cases in the states from which the track's steps can be taken."""

    def case_in(drive):
        case = make_case()
        drive(Driver(db.session, org, case))
        db.session.commit()
        return case

    made = [make_case()]  # nothing yet: the opening steps
    if track == Track.MEDIATION:
        for state in (MediationState.APPLIED, MediationState.IN_SESSION, MediationState.AGREEMENT):
            made.append(case_in(lambda d, s=state: d.mediation(s)))
        confirming = case_in(lambda d: d.mediation(MediationState.AGREEMENT))
        mediation_ops.request_confirmation(
            db.session,
            confirming,
            org.user(Role.SUPERVISOR),
            kind=ConfirmationKind.ARBITRAL_REVIEW,
            applied_on=confirming.mediation.agreement_signed_on,
        )
        made.append(confirming)
        clock.freeze(clock.now_utc() + timedelta(days=20))  # the applied mediation may now lapse (its timer's deadline)
    elif track == Track.ARBITRATION:
        for state in (
            ArbitrationState.RECEIVED,
            ArbitrationState.CORRECTION_REQUESTED,
            ArbitrationState.ACCEPTED,
            ArbitrationState.SERVED,
            ArbitrationState.HEARD,
            ArbitrationState.CLOSING,
            ArbitrationState.CLOSED,
        ):
            made.append(case_in(lambda d, s=state: d.arbitration(s)))
        supervisor = org.user(Role.SUPERVISOR)
        suspending, suspended = (case_in(lambda d: d.arbitration(ArbitrationState.ACCEPTED)) for _ in range(2))
        for case in (suspending, suspended):  # requested by another supervisor: four-eyes
            request_suspension(
                db.session,
                case,
                org.colleague(Role.SUPERVISOR),
                ground=SuspensionGround.FORCE_MAJEURE,
                reason="不可抗力",
            )
        decide_suspension(db.session, suspended, supervisor, approve=True)
        scheduled = case_in(lambda d: d.arbitration(ArbitrationState.TRIBUNAL_FORMED))
        starts = clock.now_utc().replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
        room = Driver(db.session, org, scheduled).room()
        hearings.schedule_hearing(
            db.session,
            scheduled,
            org.user(Role.CLERK),
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            room_id=room.id,
        )
        made += [suspending, suspended, scheduled]
    elif track == Track.LEGAL_AID:
        for state in (
            LegalAidState.APPLIED,
            LegalAidState.MATERIALS_REQUESTED,
            LegalAidState.GRANTED,
            LegalAidState.REFUSED,
            LegalAidState.OBJECTION,
        ):
            made.append(case_in(lambda d, s=state: d.legal_aid(s)))
    else:
        made.append(case_in(lambda d: d.arbitration(ArbitrationState.CLOSED)))
        for state in (
            LawsuitState.FILED,
            LawsuitState.FIRST_INSTANCE,
            LawsuitState.JUDGED,
            LawsuitState.APPEAL,
            LawsuitState.REVOCATION_APPLIED,
            LawsuitState.REVOKED,
        ):
            made.append(case_in(lambda d, s=state: d.lawsuit(s)))
    db.session.commit()
    return made


def step_targets(app, cases, user, track: Track) -> dict[type, str]:
    """For each form class of the track's steps, the URL of one step using it that `user` may take now."""
    from disputes.web.steps import TRACKS

    web = TRACKS[track]
    found: dict[type, str] = {}
    with app.test_request_context():
        for spec in web.steps.values():
            if spec.form in found:
                continue
            act = ACTIONS[spec.action]
            for case in cases:
                rows = (
                    [None]
                    if act.sources is None or not web.needs_row_id
                    else (case.legal_aid if track == Track.LEGAL_AID else case.lawsuits)
                )
                for row in rows:
                    checked = row if row is not None or act.sources is None else web.find_row(case, None)
                    if act.sources is not None and checked is None:
                        continue
                    if (
                        refusal(
                            case,
                            user,
                            act,
                            checked
                            if act.sources is not None
                            else (None if web.needs_row_id else web.find_row(case, None)),
                        )
                        is None
                    ):
                        found[spec.form] = web.step_url(case, spec, row)
                        break
                if spec.form in found:
                    break
    return found


@pytest.mark.parametrize("track", list(Track))
def test_step_forms_refuse_hostile_input(app, db, org, make_case, track):
    from disputes.web.steps import TRACKS

    cases = step_cases(db, org, make_case, track)
    supervisor = org.user(Role.SUPERVISOR)
    targets = step_targets(app, cases, supervisor, track)
    forms = {spec.form for spec in TRACKS[track].steps.values()}
    assert set(targets) == forms, f"no case here in which to take: {sorted(key(f) for f in forms - set(targets))}"
    client = signed_in(app, "supervisor")
    for form_cls, url in targets.items():
        fuzz(db, client, form_cls, app, url, hidden_inputs(client, url, url))
