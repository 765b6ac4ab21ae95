"""“My work” (/work): every case role's page, in Chinese and English."""

import re
from enum import StrEnum

import pytest

from disputes.models import Role
from disputes.queues import build_queues
from disputes.workflow import states
from disputes.workflow.states import ArbitrationState as A
from disputes.workflow.states import LawsuitState, LegalAidState, MediationState
from tests.drive import Driver
from tests.pages import classes, parse, t, text

CASE_ROLES = [r for r in Role if r != Role.ADMIN]
RAW_VALUES = {
    m.value
    for e in vars(states).values()
    if isinstance(e, type) and issubclass(e, StrEnum)
    for m in e
    if "_" in m.value
}


@pytest.fixture
def busy(db, org, make_case):
    """Something waiting on every case role."""
    cases = {}
    for name, drive in {
        "heard": lambda d: d.arbitration(A.HEARD),
        "received": lambda d: d.arbitration(A.RECEIVED),
        "closing": lambda d: d.arbitration(A.CLOSING),
        "accepted": lambda d: d.mediation(MediationState.ACCEPTED),
        "applied": lambda d: d.legal_aid(LegalAidState.APPLIED),
        "assigned": lambda d: d.legal_aid(LegalAidState.ASSIGNED),
        "sued": lambda d: d.lawsuit(LawsuitState.FILED),
    }.items():
        cases[name] = make_case()
        drive(Driver(db.session, org, cases[name]))
    db.session.commit()
    return cases


def page(client, db, user, locale):
    user.locale = locale
    db.session.commit()
    response = client.get("/work")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return parse(response)


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
@pytest.mark.parametrize("role", CASE_ROLES)
def test_each_role_sees_its_sections_and_its_items(app, db, org, busy, login, role, locale):
    user = org.user(role)
    (queue,) = build_queues(db.session, user)
    client = login(user)
    doc = page(client, db, user, locale)
    headings = [text(h) for h in doc.iter("h3")]
    for section in queue.sections:
        assert any(h.startswith(t(app, section.title, locale)) for h in headings), (section.title, headings)
    links = [a.get("href") for a in doc.iter("a") if re.match(r"^/cases/\d+#", a.get("href") or "")]
    expected = {f"/cases/{i.case.id}#{i.anchor}" for s in queue.sections for i in s.items}
    assert expected and set(links) == expected
    body = text(doc.find(".//main"))
    assert not RAW_VALUES & set(re.findall(r"[a-z]+(?:_[a-z]+)+", body)), body
    assert t(app, "My work", locale) in [text(a) for a in doc.iter("a") if "active" in classes(a)]
    empty = [s for s in queue.sections if not s.items]
    for section in empty:
        assert t(app, section.empty, locale) in body


def test_overdue_items_are_marked_red_and_labelled(app, db, org, busy, login):
    """The mediation accepted in `busy` is due in 15 days; after them it is overdue."""
    from datetime import timedelta

    from disputes import clock

    mediator = org.user(Role.MEDIATOR)
    client = login(mediator)
    (row,) = [tr for tr in page(client, db, mediator, "en").iter("tr") if "overdue" in classes(tr)] or [None]
    assert row is None
    clock.freeze(clock.now_utc() + timedelta(days=20))
    rows = [tr for tr in page(client, db, mediator, "en").iter("tr") if "overdue" in classes(tr)]
    assert rows and all(t(app, "overdue", "en") in text(tr) for tr in rows)


def test_admin_and_anonymous_are_kept_out(client, db, org, login):
    assert client.get("/work").status_code == 302
    assert login(org.user(Role.ADMIN)).get("/work").status_code == 403
