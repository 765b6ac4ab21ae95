"""A calendar change's recomputation as a background job (issue 18): only the timers whose period includes the
changed days, in batches, with the same result as recomputing every open timer of the year in the request."""

import gc
from datetime import date, timedelta

import sqlalchemy as sa

from disputes import clock
from disputes.models import Role
from disputes.models.sla import CalendarRecompute, SlaTimer
from disputes.sla import calendar_admin, recompute_job
from disputes.sla.states import DayKind
from disputes.workflow.states import ArbitrationState, LegalAidState, MediationState
from tests.drive import Driver

HOLIDAY = date(2026, 11, 25)  # a Wednesday in the week after the frozen clock


def _state(db) -> dict:
    db.session.expire_all()
    return {
        t.id: (t.status, t.nominal_on, t.due_on, t.provisional, t.warn_on)
        for t in db.session.scalars(sa.select(SlaTimer))
    }


def _cases(db, org, make_case) -> None:
    for state in (ArbitrationState.RECEIVED, ArbitrationState.ACCEPTED, ArbitrationState.HEARD):
        Driver(db.session, org, make_case()).arbitration(state)
    Driver(db.session, org, make_case()).mediation(MediationState.IN_SESSION)
    Driver(db.session, org, make_case()).legal_aid(LegalAidState.APPLIED)
    make_case(dispute_known_on=date(2026, 10, 1))  # a limitation period ending in 2027, far from the day
    db.session.commit()


def _change(db, org, day=HOLIDAY, batch_size=2) -> CalendarRecompute:
    admin = org.user(Role.ADMIN)
    calendar_admin.add_day(db.session, day, DayKind.HOLIDAY, "测试假日", admin, recompute=False)
    job = calendar_admin.queue_recompute(db.session, day, day, f"+ {day}", admin)
    db.session.commit()
    return recompute_job.run(db.session, job.id, batch_size=batch_size)


def test_the_job_gives_the_timers_the_synchronous_recomputation_gives(db, org, make_case):
    _cases(db, org, make_case)
    before = _state(db)
    job = _change(db, org)
    after_job = _state(db)
    assert job.status == "done" and job.timers_changed >= 1
    assert after_job != before  # some deadline moved past the new holiday
    # Recomputing every open timer of the year, as the request used to, changes nothing more.
    calendar_admin.recompute_open_timers(db.session, {HOLIDAY.year}, org.user(Role.ADMIN))
    db.session.commit()
    assert _state(db) == after_job


def test_only_the_timers_whose_period_includes_the_day_are_read(db, org, make_case):
    _cases(db, org, make_case)
    day = HOLIDAY + timedelta(days=60)  # after every short deadline, before the limitation period's end
    spanning = db.session.scalar(
        sa.select(sa.func.count()).select_from(SlaTimer).where(recompute_job.affected(day, day))
    )
    job = _change(db, org, day)
    assert job.timers_total == job.timers_done == spanning
    open_timers = db.session.scalar(
        sa.select(sa.func.count()).select_from(SlaTimer).where(SlaTimer.status.in_(["running", "paused", "breached"]))
    )
    assert 0 < spanning < open_timers


def test_the_job_runs_in_batches_and_keeps_nothing_of_them(db, org, make_case):
    _cases(db, org, make_case)
    job = _change(db, org, batch_size=2)
    assert job.timers_done == job.timers_total > 2
    gc.collect()
    assert not [o for o in db.session.identity_map.values() if isinstance(o, SlaTimer)]
    assert job.finished_at == clock.now_utc() and job.percent == 100


def test_a_job_runs_once_and_a_failed_one_can_run_again(db, org, make_case, monkeypatch):
    _cases(db, org, make_case)
    job = _change(db, org)
    again = recompute_job.run(db.session, job.id)  # already done: not claimed again
    assert (again.status, again.timers_done) == ("done", job.timers_done)
    second = calendar_admin.queue_recompute(db.session, HOLIDAY, HOLIDAY, "again", org.user(Role.ADMIN))
    db.session.commit()

    def broken(*args):
        raise RuntimeError("lost connection")

    monkeypatch.setattr(recompute_job, "recompute_rows", broken)
    assert recompute_job.run(db.session, second.id).status == "failed"
    monkeypatch.undo()
    assert recompute_job.retry(db.session, second.id)
    db.session.commit()
    assert recompute_job.run(db.session, second.id).status == "done"


def test_with_a_broker_the_change_is_handed_to_a_worker_and_the_page_follows_it(app, db, org, login, monkeypatch):
    from disputes import jobs

    handed = []
    monkeypatch.setitem(app.config, "CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
    monkeypatch.setattr(jobs.celery_app().tasks["disputes.calendar_recompute"], "delay", handed.append)
    client = login(org.user(Role.ADMIN))
    response = client.post(
        "/admin/calendar/new", data={"day": HOLIDAY.isoformat(), "kind": "holiday", "name": "测试假日"}
    )
    job = db.session.scalar(sa.select(CalendarRecompute).order_by(CalendarRecompute.id.desc()).limit(1))
    assert handed == [job.id] and job.status == "queued"  # the request did not recompute
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and 'data-status="queued"' in page
    recompute_job.run(db.session, job.id)  # what the worker does
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page and 'data-status="done"' in page


def test_a_job_whose_worker_stopped_is_shown_failed_and_runs_again_from_its_page(app, db, org, make_case, login):
    """A worker killed mid-job leaves it "running" for ever: once its heartbeat is older than STALE_AFTER the
    page marks it failed and offers to run it again, which recomputes (idempotently) and ends done."""
    _cases(db, org, make_case)
    admin = org.user(Role.ADMIN)
    calendar_admin.add_day(db.session, HOLIDAY, DayKind.HOLIDAY, "测试假日", admin, recompute=False)
    job = calendar_admin.queue_recompute(db.session, HOLIDAY, HOLIDAY, "+", admin)
    alive = calendar_admin.queue_recompute(db.session, HOLIDAY, HOLIDAY, "+", admin)
    beat = clock.now_utc() - recompute_job.STALE_AFTER
    job.status, job.started_at, job.heartbeat_at = "running", beat, beat - timedelta(seconds=1)
    alive.status, alive.started_at, alive.heartbeat_at = "running", beat, beat + timedelta(seconds=1)
    db.session.commit()
    job_id, alive_id = job.id, alive.id
    client = login(admin)
    page = client.get(f"/admin/calendar/recomputes/{job_id}").get_data(as_text=True)
    assert 'data-status="failed"' in page and 'id="recompute-retry"' in page
    db.session.expire_all()
    assert db.session.get(CalendarRecompute, alive_id).status == "running"  # its heartbeat is recent enough
    refused = client.post(f"/admin/calendar/recomputes/{alive_id}/retry", follow_redirects=True)
    assert 'data-status="running"' in refused.get_data(as_text=True)
    response = client.post(f"/admin/calendar/recomputes/{job_id}/retry")  # no broker: it runs now
    assert response.status_code == 302
    db.session.expire_all()
    done = db.session.get(CalendarRecompute, job_id)
    assert done.status == "done" and done.timers_done == done.timers_total > 0
    assert recompute_job.expire_stalled(db.session) == 0
