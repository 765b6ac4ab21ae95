"""The own-figures panel of a mediator's or an arbitrator's work page reads the statistics summary's cells per
person: its numbers are the dashboard's for that person, and each equals the length of the dashboard's drill-down
list for that person (issue 17)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from disputes.demo.centre import DEMO_PASSWORD
from disputes.metrics import compute as live
from disputes.metrics import drill
from disputes.metrics import figures as F
from disputes.metrics.dashboard import build
from disputes.metrics.personal import own_figures, own_period
from disputes.metrics.scope import Scope
from disputes.metrics.summary import fold as summary_fold
from disputes.models import Arbitration, CaseAssignment, Role, User
from tests.pages import parse, text

TODAY = date(2026, 11, 20)  # conftest.FROZEN_AT in Shanghai


@pytest.fixture
def demo(db, demo_database):
    return db.session


def people(session, role: Role) -> list[User]:
    return [u for u in session.scalars(sa.select(User).order_by(User.id)) if u.has_role(role) and u.active]


def drilled(session, value: F.Value, scope: Scope, period) -> tuple[int, int | None]:
    """(numerator, denominator) as the drill-down lists count them; an average's numerator is its days, whose rows
    are the closed cases (the denominator's), so only its denominator is a list's length."""
    figure = value.figure
    denominator = None
    if figure.kind != F.COUNT:
        denominator = drill.count(session, drill.rows(figure, "denominator", scope, period, TODAY))
    numerator = drill.count(session, drill.rows(figure, "numerator", scope, period, TODAY))
    if figure.kind == F.AVERAGE:
        assert numerator == denominator  # the closed cases, listed for both parts
        numerator = value.numerator
    return numerator, denominator


def test_the_panel_reads_the_cells_and_equals_the_dashboard_and_its_lists(demo):
    period = own_period(TODAY)
    assert (period.start, period.end) == (date(2026, 1, 1), date(2026, 12, 31))
    everyone = tuple(demo.scalars(sa.select(CaseAssignment.user_id).distinct()))
    dashboard = build(demo, Scope(), period, TODAY, cells=True).by_person
    checked = 0
    for role in (Role.ARBITRATOR, Role.MEDIATOR):
        for user in people(demo, role):
            mine = own_figures(demo, user, TODAY)
            assert mine["from_cells"], user.username
            counted_live = live.compute(demo, Scope(person_id=user.id), period, TODAY)
            for value in mine["values"]:
                key = value.key
                assert (value.numerator, value.denominator) == (
                    counted_live[key].numerator,
                    counted_live[key].denominator,
                ), (user.username, key)
                assert drilled(demo, value, Scope(person_id=user.id), period) == (
                    value.numerator,
                    value.denominator,
                ), (user.username, key)
                if key != "arbitration.pending_end":  # the one panel figure the dashboard's table does not show
                    shown = dashboard.get(user.id)
                    expected = (shown[key].numerator, shown[key].denominator) if shown else (0, value.denominator)
                    assert (value.numerator, value.denominator) == expected, (user.username, key)
                checked += value.numerator > 0
    assert everyone and checked > 5  # the demo gives the people something to count


def test_the_work_page_shows_the_cells_after_folding_a_change(demo, login):
    arbitrator = demo.scalar(sa.select(User).where(User.username == "arbitrator"))
    client = login("arbitrator", DEMO_PASSWORD)

    def shown() -> dict[str, str]:
        doc = parse(client.get("/work"))
        return {dd.get("data-figure"): text(dd) for dd in doc.iter("dd")}

    before = shown()
    assert set(before) == {
        "arbitration.accepted",
        "arbitration.closed",
        "arbitration.pending_end",
        "arbitration.closure_rate",
        "arbitration.on_time_rate",
        "arbitration.mediation_rate",
        "arbitration.average_days",
    }
    period = own_period(TODAY)
    closed = drill.count(
        demo,
        drill.rows(F.BY_KEY["arbitration.closed"], "numerator", Scope(person_id=arbitrator.id), period, TODAY),
    )
    assert before["arbitration.closed"] == str(closed)
    # One of his arbitrations closed last year is moved into this year: the page folds the change and counts it.
    mine = sa.select(CaseAssignment.case_id).where(
        CaseAssignment.user_id == arbitrator.id, CaseAssignment.role == Role.ARBITRATOR
    )
    moved = demo.scalars(
        sa.select(Arbitration)
        .where(Arbitration.case_id.in_(mine), Arbitration.closed_on < period.start)
        .order_by(Arbitration.id)
    ).first()
    if moved is None:  # the demo gave him none: take one from this year out instead
        moved = demo.scalars(
            sa.select(Arbitration).where(Arbitration.case_id.in_(mine), Arbitration.closed_on >= period.start)
        ).first()
        moved.closed_on, expected = period.start - timedelta(days=1), closed - 1
        moved.accepted_on = min(moved.accepted_on, moved.closed_on)
    else:
        moved.closed_on, expected = period.start + timedelta(days=1), closed + 1
        moved.accepted_on = min(moved.accepted_on, moved.closed_on)
    demo.commit()
    assert summary_fold.pending(demo) > 0
    assert shown()["arbitration.closed"] == str(expected)
    assert summary_fold.pending(demo) == 0  # the work page's fold was kept (a GET that writes, like the dashboard)
    doc = parse(login("clerk", DEMO_PASSWORD).get("/work"))
    assert not any(e.get("id") == "my-figures" for e in doc.iter("section"))
