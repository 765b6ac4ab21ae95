"""Hostile input (issue 14, items 12, 13, 16 and 18), each refused with a clear message or a 404, never a 500:

- control characters (NUL, ESC, C1, bidi overrides) in any text field, e.g. a worker's name at intake, which broke
  the ledger export of the case's whole scope and gave a 500 on PostgreSQL; names made only of invisible
  characters (zero-width spaces, Hangul fillers); zero-width characters hidden inside a name;
- more rows than the intake form takes (the 61st worker was dropped without a word);
- ids of 2^31 and beyond in URLs and query strings; years 1 and 9999 in the calendars and reports; dates out of
  range in query strings and forms; page numbers of 2^63;
- a seal PNG declaring 20000 × 20000 pixels (a decompression bomb);
- trivially weak passwords (aaaaaaaaaa, 1234567890, password123, the username) wherever a password is set: the
  admin pages, the own-password page, `flask users add`.
"""

import io
import struct
import zlib

import pytest
import sqlalchemy as sa

from disputes.models import Case, Party, Role, User
from disputes.models import user as user_model
from disputes.organisation import add_user
from tests.conftest import EMPLOYER_CODE, PASSWORD, WORKER_ID
from tests.pages import field_errors, flashes, parse, t

HUGE = [2**31, 2**63, 10**30]


@pytest.fixture
def everyone(db, org):
    """One account holding every role, so each page can be asked for."""
    user = add_user(db.session, "everyone", "全角色", [r for r in Role], org.centre, PASSWORD)
    db.session.commit()
    return user


@pytest.fixture
def browser(app, everyone):
    client = app.test_client()
    assert client.post("/login", data={"username": "everyone", "password": PASSWORD}).status_code == 302
    return client


# --- ids, years, dates, pages ------------------------------------------------------------------------------------


def int_routes(app):
    for rule in app.url_map.iter_rules():
        ints = [
            name
            for name, conv in rule._converters.items()
            if type(conv).__name__ in ("IdConverter", "IntegerConverter")
        ]
        if ints:
            yield rule, ints


def test_every_int_route_uses_the_bounded_id_converter(app):
    routes = list(int_routes(app))
    assert len(routes) >= 20
    assert {type(conv).__name__ for rule, _ in routes for conv in rule._converters.values()} <= {
        "IdConverter",
        "UnicodeConverter",
    }


@pytest.mark.parametrize("huge", HUGE)
def test_huge_ids_in_urls_are_not_found(app, make_case, browser, huge):
    case = make_case()
    for rule, ints in int_routes(app):
        values = {name: 1 for name in rule.arguments}
        values.update(
            {
                "case_id": case.id,
                "slug": "accept",
                "kind_id": "arb_acceptance",
                "day": "2026-11-20",
                "rule_id": "arbitration.award",
            }
        )
        for name in ints:
            url = _with(rule, values, name, huge)
            method = "get" if "GET" in rule.methods else "post"
            response = getattr(browser, method)(url)
            assert response.status_code == 404, (url, response.status_code)


def _with(rule, values, name, huge) -> str:
    """The rule's path with `huge` in place of argument `name` (url building would refuse it, the router must)."""
    parts = []
    for is_dynamic, segment in rule._trace:
        if not is_dynamic:
            parts.append(segment)
        else:
            parts.append(str(huge) if segment == name else str(values[segment]))
    return "".join(parts).split("|", 1)[-1]


HOSTILE_QUERIES = [
    "/cases?unit={n}",
    "/cases?page={n}",
    "/cases?from=0001-01-01&to=9999-12-31",
    "/cases?from=9999-12-31",
    "/ledger/export?from=0001-01-01&unit={n}&page={n}",
    "/deadlines?unit={n}&person={n}",
    "/arbitration/calendar?room={n}",
    "/arbitration/calendar?week=9999-12-31",
    "/arbitration/calendar?week=0001-01-01",
    "/arbitration/calendar?by=arbitrator&arbitrator={n}",
    "/arbitration/hearing-day/9999-12-31",
    "/arbitration/hearing-day/0001-01-01?unit={n}",
    "/admin/calendar?year=1",
    "/admin/calendar?year=9999",
    "/admin/calendar?year={n}",
    "/admin/calendar/9999-12-31",
    "/admin/calendar/new?day=0001-01-01",
    "/admin/hearing-rooms/new?unit={n}",
    "/admin/units/new?parent={n}",
    "/documents/numbers?unit={n}",
    "/reports?unit={n}",
    "/reports?person={n}",
    "/reports?from=0001-01-01&to=9999-12-31",
    "/reports?preset=year&on=9999-12-31",
    "/reports?preset=month&on=0001-01-01",
    "/reports?as_of=9999-12-31",
    "/reports/cases?figure=arbitration.closed&part=numerator&page={n}",
    "/reports/cases?figure=arbitration.closed&part=numerator&from=0001-01-01&to=0001-12-31",
    "/reports/monthly.pdf?month=9999-12",
    "/reports/monthly.pdf?month=1-1",
    "/reports/monthly.pdf?month=2026-13",
    "/work?unit={n}",
    # NUL and other control characters anywhere in the address (PostgreSQL refuses a NUL in a text parameter).
    "/cases?q=%00",
    "/cases?q=%E5%BC%A0%00",
    "/admin/users?q=%00",
    "/admin/rules/%00",
    "/verify/AB%00CD",
    "/cases/1/documents/arb%00/preview",
    "/cases/1/documents/arb_acceptance/preview?key=%00",
    "/deadlines?rule=%1b",
    "/reports?category=%00",
    "/ledger/export?q=%00",
    "/documents/numbers?family=%00",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_out_of_range_query_parameters_are_refused_or_ignored(browser, make_case, query):
    make_case()
    response = browser.get(query.format(n=2**63))
    assert response.status_code in (200, 302, 400, 404), (query, response.status_code)


# --- images -------------------------------------------------------------------------------------------------------


def png_declaring(width: int, height: int) -> bytes:
    """A small file whose header declares width × height pixels (the pixel data is a few compressed bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(20000, 20000), (2**31 - 1, 2**31 - 1), (100, 100000)])
def test_a_seal_declaring_a_huge_image_is_refused_before_decoding(app, db, org, login, size):
    admin = login(org.user(Role.ADMIN))
    response = admin.post(
        f"/documents/seals/{org.arbitration.id}",
        data={"image": (io.BytesIO(png_declaring(*size)), "bomb.png")},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert t(app, "The seal must be between %(low)d and %(high)d pixels on each side.", low=100, high=2000) in flashes(
        response
    )


def test_pillow_refuses_to_decode_more_pixels_than_a_seal_can_have(app):
    from PIL import Image

    from disputes.documents import render, seals

    Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS * 10  # whatever was set before
    render.render_pdf("<p>印章</p>")
    assert Image.MAX_IMAGE_PIXELS is not None
    assert Image.MAX_IMAGE_PIXELS <= 4 * seals.MAX_SIDE * seals.MAX_SIDE


# --- passwords ----------------------------------------------------------------------------------------------------

WEAK = ["aaaaaaaaaa", "1234567890", "password123", "qwertyuiop", "everyone-everyone", "woaini1314520", "zhangsan123456"]
TOO_EASY = (
    "This password is too easy to guess (a common password, a word or name, a repetition, a sequence or a "
    "keyboard pattern). Choose a longer one, e.g. several unrelated words."
)


@pytest.mark.parametrize("weak", WEAK)
def test_a_weak_password_is_refused_when_changing_ones_own(app, db, browser, weak):
    response = browser.post("/account", data={"current": PASSWORD, "password": weak, "confirm": weak})
    assert response.status_code == 200
    assert field_errors(response, "password") == [t(app, TOO_EASY)]
    db.session.expire_all()
    assert db.session.scalar(sa.select(User).where(User.username == "everyone")).check_password(PASSWORD)


@pytest.mark.parametrize("weak", WEAK[:3])
def test_a_weak_password_is_refused_by_the_admin_pages(app, db, org, login, weak):
    admin = login(org.user(Role.ADMIN))
    response = admin.post(
        "/admin/users/new",
        data={
            "username": "newbie",
            "display_name": "新人",
            "unit_id": str(org.centre.id),
            "roles": ["clerk"],
            "locale": "zh_CN",
            "password": weak,
        },
    )
    assert response.status_code == 200
    assert field_errors(response, "password") == [t(app, TOO_EASY)]
    assert db.session.scalar(sa.select(User).where(User.username == "newbie")) is None

    clerk = org.user(Role.CLERK)
    response = admin.post(f"/admin/users/{clerk.id}/password", data={"password": weak}, follow_redirects=True)
    assert t(app, TOO_EASY) in flashes(response)
    db.session.expire_all()
    assert db.session.get(User, clerk.id).check_password(PASSWORD)


@pytest.mark.parametrize("weak", WEAK[:3])
def test_a_weak_password_is_refused_by_the_command_line(db, org, runner, weak):
    result = runner.invoke(
        args=["users", "add", "newbie", "--role", "clerk", "--unit", org.centre.code, "--password", weak]
    )
    assert result.exit_code != 0
    assert "too easy to guess" in result.output
    assert db.session.scalar(sa.select(User).where(User.username == "newbie")) is None


def test_a_strong_password_and_a_generated_one_are_accepted(db, org, runner):
    result = runner.invoke(
        args=[
            "users",
            "add",
            "newbie",
            "--role",
            "clerk",
            "--unit",
            org.centre.code,
            "--password",
            "violet-kettle-harbour-7",
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["users", "add", "other", "--role", "clerk", "--unit", org.centre.code])
    assert result.exit_code == 0, result.output
    assert user_model.User is User


# --- intake: rows and characters ----------------------------------------------------------------------------------


def intake(org, **extra) -> dict:
    data = {
        "unit_id": str(org.centre.id),
        "registered_on": "2026-11-20",
        "dispute_known_on": "2026-10-01",
        "cause": "拖欠工资",
        "workers-0-name": "张三",
        "workers-0-id_number": WORKER_ID,
        "employers-0-name": "深圳市宏达电子科技有限公司",
        "employers-0-credit_code": EMPLOYER_CODE,
        "claims-0-category": "wages",
        "claims-0-amount": "12000",
    }
    data.update(extra)
    return data


def hidden_inputs(response) -> dict:
    return {
        e.get("name"): e.get("value") or ""
        for e in parse(response).iter("input")
        if e.get("type") == "hidden" and e.get("name")
    }


def register(client, data: dict):
    """Check, then confirm with what the review page carries (as a browser would)."""
    review = client.post("/cases/new", data=data)
    assert review.status_code == 200, review.get_data(as_text=True)[:300]
    return client.post("/cases/new", data={**data, **hidden_inputs(review)})


def test_a_collective_case_of_120_workers_keeps_every_worker(db, org, login):
    clerk = login(org.user(Role.CLERK))
    workers = {f"workers-{i}-name": f"工人{i:03d}" for i in range(120)}
    response = register(clerk, intake(org, **workers))
    assert response.status_code == 302
    names = db.session.scalars(sa.select(Party.name).where(Party.name.startswith("工人"))).all()
    assert len(names) == 120


def test_more_rows_than_the_form_takes_are_refused_not_dropped(app, db, org, login):
    clerk = login(org.user(Role.CLERK))
    workers = {f"workers-{i}-name": f"工人{i:03d}" for i in range(501)}
    response = clerk.post("/cases/new", data=intake(org, **workers))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert (
        t(app, "At most %(n)d rows can be entered here; %(sent)d were sent. Nothing was saved.", n=500, sent=501)
        in page
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


CONTROL = ["张\x00三", "张三\x1b[31m", "张\x85三", "张三\u202e", "\x7f张三", "张\u2028三"]
INVISIBLE = ["\u200b", "\u200b\u200c\u200d", "\u3164", "\u2800\u2800", "\ufeff", "\u115f\u1160"]
CONTROL_MESSAGE = "Control characters are not allowed here (a character at position %(position)d)."
INVISIBLE_MESSAGE = "Only invisible characters were entered."


@pytest.mark.parametrize("name", CONTROL)
def test_control_characters_in_a_name_are_refused_with_the_input_kept(app, db, org, login, name):
    clerk = login(org.user(Role.CLERK))
    response = clerk.post("/cases/new", data=intake(org, **{"workers-0-name": name}))
    assert response.status_code == 200
    position = next(i for i, c in enumerate(name) if c not in "张三") + 1
    assert t(app, CONTROL_MESSAGE, position=position) in response.get_data(as_text=True)
    kept = [e.get("value") for e in parse(response).iter("input") if e.get("name") == "workers-0-name"]
    assert kept == [name.replace("\x00", "\ufffd")] or kept == [name]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


@pytest.mark.parametrize("name", INVISIBLE)
def test_invisible_only_names_are_refused(app, db, org, login, name):
    clerk = login(org.user(Role.CLERK))
    response = clerk.post("/cases/new", data=intake(org, **{"employers-0-name": name}))
    assert response.status_code == 200
    assert t(app, INVISIBLE_MESSAGE) in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_zero_width_characters_inside_a_name_are_removed(db, org, login):
    clerk = login(org.user(Role.CLERK))
    response = register(clerk, intake(org, **{"workers-0-name": "张\u200b三\ufeff", "cause": "拖欠\u200d工资"}))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Party.name).where(Party.name.startswith("张"))) == "张三"
    assert db.session.scalar(sa.select(Case.cause)) == "拖欠工资"


def test_line_breaks_and_tabs_stay_allowed_in_multi_line_text_only(app, db, org, login):
    clerk = login(org.user(Role.CLERK))
    response = register(clerk, intake(org, facts="第一段\r\n\t第二段"))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Case.facts)) == "第一段\r\n\t第二段"
    response = clerk.post("/cases/new", data=intake(org, cause="拖欠\n工资"))
    assert t(app, CONTROL_MESSAGE, position=3) in response.get_data(as_text=True)


def test_every_form_of_the_app_checks_its_text(app):
    """One base class for every form (disputes.web.fields.AppForm), nested row forms included."""
    from flask_wtf import FlaskForm
    from wtforms import Form

    from disputes.web.fields import AppForm, TextMeta
    from tests.security.test_security_fuzz import app_form_classes

    forms = app_form_classes(app)
    assert len(forms) > 60
    for form in forms:
        if issubclass(form, FlaskForm):
            assert issubclass(form, AppForm), form
        else:
            assert issubclass(form, Form) and issubclass(form.Meta, TextMeta), form
