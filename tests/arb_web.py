"""Taking arbitration steps through the web as a browser would: open the form, submit it with its version."""

from __future__ import annotations

from datetime import date, timedelta

from disputes import clock
from disputes.models import Case, HearingRoom, Role
from tests.pages import flashes, parse, step_hidden


def version_of(page) -> str:
    return next(e.get("value") for e in parse(page).iter("input") if e.get("name") == "version")


def url(case, slug: str) -> str:
    return f"/cases/{case.id}/arbitration/{slug}"


def later(days: int = 0, hours: int = 0) -> None:
    clock.freeze(clock.now_utc() + timedelta(days=days, hours=hours))


def iso(day: date | None = None) -> str:
    return (day or clock.today_local()).isoformat()


class Web:
    """One case, one test client; `as_(role)` signs in only when the role changes."""

    def __init__(self, db, org, login, case):
        self.db, self.org, self.login, self.case = db, org, login, case
        self.client = None
        self.who = None

    def as_(self, user_or_role) -> Web:
        user = self.org.user(user_or_role) if isinstance(user_or_role, (Role, str)) else user_or_role
        if self.who != user.id:
            self.client, self.who = self.login(user), user.id
        return self

    def open(self, slug: str):
        return self.client.get(url(self.case, slug))

    def step(self, slug: str, data: dict | None = None, status: int = 302):
        page = self.open(slug)
        assert page.status_code == 200, (slug, page.status_code, flashes(self.client.get(f"/cases/{self.case.id}")))
        response = self.client.post(url(self.case, slug), data={**step_hidden(page), **(data or {})})
        assert response.status_code == status, (slug, flashes(response), response.get_data(as_text=True)[:3000])
        return response

    def fresh(self) -> Case:
        self.db.session.expire_all()
        self.case = self.db.session.get(Case, self.case.id)
        return self.case

    @property
    def arbitration(self):
        return self.fresh().arbitration

    def room(self, name: str = "第一仲裁庭") -> HearingRoom:
        room = self.db.session.query(HearingRoom).filter_by(unit_id=self.org.arbitration.id, name=name).first()
        if room is None:
            room = HearingRoom(unit_id=self.org.arbitration.id, name=name)
            self.db.session.add(room)
            self.db.session.commit()
        return room

    # the usual path, each step by the role that takes it ------------------------------------------
    def receive(self):
        return self.as_(Role.CLERK).step("receive", {"unit_id": self.org.arbitration.id, "received_on": iso()})

    def accept(self):
        self.receive()
        return self.step("accept", {"accepted_on": iso()})

    def serve(self):
        self.accept()
        later(days=1)
        return self.step("serve-respondent", {"served_on": iso()})

    def tribunal(self, arbitrator=None):
        self.serve()
        arbitrator = arbitrator or self.org.user(Role.ARBITRATOR)
        self.step("form-tribunal", {"kind": "sole", "presiding_id": arbitrator.id})
        return self.step("tribunal-notice", {"served_on": iso()})

    def hearing(self, applicant_attended: bool = True):
        """Schedule a hearing a week ahead in the room, serve the notice, then hold it (as the arbitrator)."""
        self.tribunal()
        day = clock.today_local() + timedelta(days=7)
        self.as_(Role.CLERK).step(
            "schedule-hearing", {"day": iso(day), "starts_at": "09:00", "ends_at": "11:00", "room_id": self.room().id}
        )
        (hearing,) = self.arbitration.hearings
        self.step("hearing-notice", {"hearing_id": hearing.id, "served_on": iso()})
        later(days=7, hours=3)  # 13:00 local on the hearing day
        attended = {"applicant_attended": "y"} if applicant_attended else {}
        return self.as_(Role.ARBITRATOR).step(
            "hold-hearing", {"hearing_id": hearing.id, "respondent_attended": "y", "record": "当庭质证", **attended}
        )
