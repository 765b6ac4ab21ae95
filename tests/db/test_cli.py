"""`flask units` and `flask users`: scripted provisioning."""

import re

import pytest
import sqlalchemy as sa

from disputes.accounts import authenticate
from disputes.models import NumberFormat, Role, Unit, UnitKind, User


def flask(runner, *args, input=None, ok=True):
    result = runner.invoke(args=list(args), input=input)
    if ok:
        assert result.exit_code == 0, f"{args}: exit {result.exit_code}\n{result.output}\n{result.exception!r}"
    else:
        assert result.exit_code != 0, f"{args} should have failed:\n{result.output}"
    return result


def unit(db, code) -> Unit | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Unit).where(Unit.code == code))


def user(db, username) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.username == username))


@pytest.fixture
def tree(runner, db):
    flask(runner, "units", "add", "LG", "龙岗区", "--kind", "district", "--region", "440307")
    flask(runner, "units", "add", "LGC", "龙岗区调援裁诉中心", "--kind", "centre", "--parent", "LG")
    flask(runner, "units", "add", "LGM", "龙岗区劳动争议调解委员会", "--kind", "mediation_committee", "--parent", "LGC")
    flask(runner, "units", "add", "BJ", "布吉街道", "--kind", "street", "--parent", "LG")


# --- units ----------------------------------------------------------------------------------------


def test_units_add_root_and_children(runner, db, tree):
    district, centre, committee = unit(db, "LG"), unit(db, "LGC"), unit(db, "LGM")
    assert (district.name, district.kind, district.parent, district.path) == (
        "龙岗区",
        UnitKind.DISTRICT,
        None,
        f"/{district.id}/",
    )
    assert (centre.parent, centre.kind, centre.path) == (district, UnitKind.CENTRE, f"/{district.id}/{centre.id}/")
    assert committee.path == f"{centre.path}{committee.id}/"
    assert committee.active


def test_units_add_prints_what_it_did(runner, db):
    result = flask(runner, "units", "add", "LG", "龙岗区", "--kind", "district", "--name-en", "Longgang District")
    created = unit(db, "LG")
    assert result.output.strip() == f"unit LG added (district, path /{created.id}/)"
    assert created.name_en == "Longgang District"


def test_units_add_with_a_registry_format(runner, db):
    pattern = "深龙调援〔{year}〕第{seq:05d}号"
    flask(runner, "units", "add", "LGC", "中心", "--kind", "centre", "--registry-format", pattern)
    formats = db.session.scalars(sa.select(NumberFormat)).all()
    assert [(f.unit_id, f.family, f.pattern) for f in formats] == [(unit(db, "LGC").id, "registry", pattern)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["units", "add", "X", "某单位", "--kind", "district", "--parent", "NOPE"], "There is no unit with code NOPE"),
        (["units", "add", "LG", "重复", "--kind", "district"], "The unit code LG is taken"),
        (
            ["units", "add", "X", "某单位", "--kind", "district", "--registry-format", "{seq.__class__}{year}"],
            "Only {code}, {year} and {seq}",
        ),
        (
            ["units", "add", "X", "某单位", "--kind", "district", "--registry-format", "{code}{seq}"],
            "must contain {year} and {seq}",
        ),
        (["units", "add", "X", "   ", "--kind", "district"], "needs a code and a name"),
        (["units", "add", "X", "某单位", "--kind", "planet"], "Invalid value for '--kind'"),
        (["units", "add", "X", "某单位"], "Missing option '--kind'"),
        (["units", "add", "X", "某单位", "--kind", "district", "--region", "4403"], "six digits (GB/T 2260)"),
        (["units", "add", "X", "某单位", "--kind", "district", "--region", "44030７"], "six digits (GB/T 2260)"),
    ],
)
def test_units_add_refuses(runner, db, tree, args, message):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Unit))
    result = flask(runner, *args, ok=False)
    assert message in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit)) == before
    assert unit(db, "X") is None


def test_a_refused_registry_format_leaves_no_unit_behind(runner, db):
    flask(runner, "units", "add", "X", "某单位", "--kind", "centre", "--registry-format", "{year}", ok=False)
    assert unit(db, "X") is None
    assert db.session.scalars(sa.select(NumberFormat)).all() == []


def test_units_list_prints_the_tree(runner, db, tree):
    lines = flask(runner, "units", "list").output.splitlines()
    assert [line.split()[0] for line in lines] == ["LG", "BJ", "LGC", "LGM"]  # parents first, siblings by code
    indents = [len(line) - len(line.lstrip()) for line in lines]
    assert indents == [0, 2, 2, 4]
    # code, kind, region code (issue 14: the minimum wage of an award is looked up by it), name
    assert lines[0].split()[1:] == ["district", "440307", "龙岗区"]
    assert lines[3].split()[1:] == ["mediation_committee", "-", "龙岗区劳动争议调解委员会"]
    assert unit(db, "LG").region_code == "440307" and unit(db, "LGC").region_code is None


def test_units_list_on_an_empty_database(runner, db):
    assert flask(runner, "units", "list").output == ""


# --- users ----------------------------------------------------------------------------------------


def test_users_add_prints_a_generated_password_that_works(runner, db, tree, app):
    result = flask(runner, "users", "add", "Zhang.San", "--role", "clerk", "--unit", "LGC", "--name", "张三")
    lines = result.output.splitlines()
    assert lines[0] == "user zhang.san added to LGC as clerk"
    match = re.fullmatch(r"password: (\S+)", lines[1])
    assert match, result.output
    password = match.group(1)
    assert len(password) >= 10
    created = user(db, "zhang.san")
    assert (created.display_name, created.unit.code, created.roles, created.locale) == (
        "张三",
        "LGC",
        frozenset({Role.CLERK}),
        "zh_CN",
    )
    assert authenticate(db.session, "zhang.san", password, 5, 15).id == created.id


def test_generated_passwords_differ(runner, db, tree):
    first = flask(runner, "users", "add", "a1", "--role", "clerk", "--unit", "LGC").output
    second = flask(runner, "users", "add", "a2", "--role", "clerk", "--unit", "LGC").output
    assert first.splitlines()[1] != second.splitlines()[1]


def test_users_add_with_several_roles(runner, db, tree):
    result = flask(
        runner, "users", "add", "boss", "--role", "supervisor", "--role", "admin", "--unit", "LG", "--locale", "en"
    )
    assert result.output.splitlines()[0] == "user boss added to LG as admin, supervisor"
    created = user(db, "boss")
    assert created.roles == frozenset({Role.SUPERVISOR, Role.ADMIN})
    assert created.display_name == "boss"  # no --name: the username
    assert created.locale == "en"


def test_users_add_password_from_stdin(runner, db, tree):
    result = flask(
        runner,
        "users",
        "add",
        "li",
        "--role",
        "mediator",
        "--unit",
        "LGM",
        "--password-stdin",
        input="a-long-secret-from-stdin\nignored second line\n",
    )
    assert "password:" not in result.output
    assert "a-long-secret" not in result.output
    assert user(db, "li").check_password("a-long-secret-from-stdin")


def test_users_add_refuses_empty_stdin_password(runner, db, tree):
    result = runner.invoke(
        args=["users", "add", "li", "--role", "mediator", "--unit", "LGM", "--password-stdin"], input="\n"
    )
    assert result.exit_code != 0
    assert "standard input held no password" in result.output
    assert db.session.scalar(sa.select(User).where(User.username == "li")) is None


def test_users_add_password_option(runner, db, tree):
    result = flask(
        runner, "users", "add", "wang", "--role", "arbitrator", "--unit", "LGC", "--password", "given-password-1"
    )
    assert "password:" not in result.output
    assert user(db, "wang").check_password("given-password-1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["users", "add", "x", "--role", "clerk", "--unit", "NOPE"], "There is no unit with code NOPE"),
        (["users", "add", "x", "--role", "clerk", "--unit", "LGC", "--password", "short"], "at least 10 characters"),
        (["users", "add", "x", "--role", "emperor", "--unit", "LGC"], "Invalid value for '--role'"),
        (["users", "add", "x", "--unit", "LGC"], "Missing option '--role'"),
        (["users", "add", "x", "--role", "clerk"], "Missing option '--unit'"),
        (["users", "add", "x", "--role", "clerk", "--unit", "LGC", "--locale", "fr"], "Invalid value for '--locale'"),
        (["users", "add", "  ", "--role", "clerk", "--unit", "LGC"], "needs a username"),
    ],
)
def test_users_add_refuses(runner, db, tree, args, message):
    result = flask(runner, *args, ok=False)
    assert message in result.output
    assert "password:" not in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_users_add_refuses_a_duplicate_username(runner, db, tree):
    flask(runner, "users", "add", "zhang", "--role", "clerk", "--unit", "LGC")
    original = user(db, "zhang")
    result = flask(runner, "users", "add", "ZHANG", "--role", "admin", "--unit", "LG", ok=False)
    assert "The username zhang is taken" in result.output
    again = user(db, "zhang")
    assert (again.id, again.roles, again.unit.code) == (original.id, frozenset({Role.CLERK}), "LGC")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_failed_command_leaves_the_session_usable(runner, db, tree):
    flask(runner, "users", "add", "x", "--role", "clerk", "--unit", "NOPE", ok=False)
    flask(runner, "users", "add", "x", "--role", "clerk", "--unit", "LGC")
    assert user(db, "x") is not None
