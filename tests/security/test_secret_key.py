"""The session key (issue 14): `make run` signed sessions with a key written in the repository, so a cookie forged
with it signed in as anyone. Development now makes a random key per installation in instance/secret_key (0600,
git-ignored); production refuses to start without SECRET_KEY, or with the old development key; tests keep a fixed
key."""

import stat
from pathlib import Path

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from config import BASE_DIR, DEV_SECRET_KEY
from disputes import create_app

# Flask-Limiter keeps `enabled` on the process-wide limiter: an app made here must not turn rate limits on for
# the tests that run after it in the same worker.
QUIET = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": False}


def dev_app(instance, **overrides):
    return create_app("development", instance_path=str(instance), **{"SECRET_KEY": None, **QUIET, **overrides})


def cookie_signed_with(key: str, data: dict) -> str:
    signer = Flask("forger")
    signer.secret_key = key
    return SecureCookieSessionInterface().get_signing_serializer(signer).dumps(data)


def session_from(app, cookie: str) -> dict:
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        from flask import request

        return dict(app.session_interface.open_session(app, request))


def test_development_makes_its_own_key_once(tmp_path):
    first = dev_app(tmp_path)
    path = tmp_path / "secret_key"
    key = first.config["SECRET_KEY"]
    assert path.read_text().strip() == key and len(key) >= 64 and key != DEV_SECRET_KEY
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert dev_app(tmp_path).config["SECRET_KEY"] == key, "the same key on every start (sessions survive restarts)"
    assert dev_app(tmp_path / "other").config["SECRET_KEY"] != key, "each installation its own"


def test_a_cookie_forged_with_the_old_development_key_signs_no_one_in(tmp_path):
    app = dev_app(tmp_path)
    forged = cookie_signed_with(DEV_SECRET_KEY, {"_user_id": "1", "_fresh": True})
    assert session_from(app, forged) == {}
    genuine = cookie_signed_with(app.config["SECRET_KEY"], {"_user_id": "1", "_fresh": True})
    assert session_from(app, genuine)["_user_id"] == "1"


def test_the_old_development_key_is_ignored_in_development(tmp_path):
    app = create_app("development", instance_path=str(tmp_path), SECRET_KEY=DEV_SECRET_KEY, **QUIET)
    assert app.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()


def test_a_loose_key_file_is_tightened_and_a_bad_one_refused(tmp_path):
    dev_app(tmp_path)
    path = tmp_path / "secret_key"
    path.chmod(0o644)
    dev_app(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("short\n")
    with pytest.raises(RuntimeError, match="no usable key"):
        dev_app(tmp_path)


@pytest.mark.parametrize("key", [None, "", DEV_SECRET_KEY])
def test_production_refuses_to_start_without_a_real_key(tmp_path, key):
    with pytest.raises(RuntimeError, match="Set SECRET_KEY"):
        create_app("production", instance_path=str(tmp_path), SECRET_KEY=key, **QUIET)
    assert not (tmp_path / "secret_key").exists(), "production never falls back to a key file"
    app = create_app("production", instance_path=str(tmp_path), SECRET_KEY="x" * 40, **QUIET)
    assert app.config["SECRET_KEY"] == "x" * 40


def test_tests_keep_a_fixed_key_and_the_key_file_is_never_committed(app):
    assert app.config["SECRET_KEY"] == "testing"
    ignored = Path(BASE_DIR / ".gitignore").read_text().splitlines()
    assert "instance/" in ignored
    assert "dev-only-not-secret" not in (BASE_DIR / "disputes" / "__init__.py").read_text()
