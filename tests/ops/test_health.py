"""/healthz and /readyz (issue 19): ready only with the database reachable and migrated, Redis reachable when
configured, the fonts installed; unready while the database is out of reach, ready again when it is back."""

import os
import shutil
import socket
import threading

import sqlalchemy as sa

from disputes import create_app
from disputes.ops import readiness


def test_healthz_answers_without_asking_anything(app, db):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_readyz_is_ready_on_a_migrated_database(app, db):
    response = app.test_client().get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["checks"] == {"database": "ok", "fonts": "ok"}


def _sqlite_copy(app, tmp_path):
    pristine = app.config["PRISTINE_SQLITE"]
    if not pristine:
        return None
    path = tmp_path / "ready.sqlite"
    shutil.copyfile(pristine[0], path)
    return path


def test_readyz_refuses_a_database_behind_the_code(app, db):
    (head,) = readiness.migration_heads()
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0001_initial'"))
    try:
        response = app.test_client().get("/readyz")
        assert response.status_code == 503
        assert response.json["checks"]["database"] == "migrations not at head (database at 0001_initial)"
    finally:
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = :head"), {"head": head})
    assert app.test_client().get("/readyz").status_code == 200


class Relay:
    """A TCP relay to PostgreSQL that can be cut (listener closed, open connections reset) and put back."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open: list[socket.socket] = []
        self.up = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        self.up = False
        for s in self.open:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.open.clear()

    def restore(self):
        self.up = True

    def close(self):
        self.cut()
        self.listener.close()


def test_readyz_fails_while_the_database_is_unreachable_and_recovers(app, db, tmp_path):
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    relay = None
    if url.get_backend_name() == "postgresql":
        relay = Relay(url.host or "127.0.0.1", url.port or 5432)
        target = url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
        cut, restore = relay.cut, relay.restore
    else:
        path = _sqlite_copy(app, tmp_path)
        target = f"sqlite:///{path}"

        def cut():  # the file gone and a directory in its place: "unable to open database file"
            os.rename(path, f"{path}.away")
            os.mkdir(path)

        def restore():
            os.rmdir(path)
            os.rename(f"{path}.away", path)

    other = create_app("testing", SQLALCHEMY_DATABASE_URI=target)
    client = other.test_client()
    try:
        assert client.get("/readyz").status_code == 200
        cut()
        with other.app_context():
            from disputes.extensions import db as other_db

            other_db.engine.dispose()  # SQLite keeps its file open; PostgreSQL's pool would pre-ping anyway
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json["status"] == "unready"
        assert response.json["checks"]["database"].startswith("database unreachable")
        assert client.get("/healthz").status_code == 200  # the process itself is fine: no restart wanted
        restore()
        response = client.get("/readyz")
        assert response.status_code == 200, response.json
    finally:
        with other.app_context():
            from disputes.extensions import db as other_db

            other_db.engine.dispose()
        if relay:
            relay.close()


def test_readyz_asks_redis_when_one_is_configured(app, db):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    app_config = {"REDIS_URL": f"redis://127.0.0.1:{closed_port}/0"}
    results = readiness.check(app_config_app(app, app_config), db.engine)
    assert results["redis"].startswith("redis unreachable")
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001
        return  # no Redis here: the unreachable case above is what can be checked
    results = readiness.check(app_config_app(app, {"REDIS_URL": "redis://127.0.0.1:6379/0"}), db.engine)
    assert results["redis"] is None


def app_config_app(app, values):
    class Shim:
        config = {**app.config, **values}

    return Shim()


def test_readyz_names_missing_fonts(monkeypatch):
    monkeypatch.setattr(readiness, "REQUIRED_FONTS", ("No Such Face CJK ZZ",))
    monkeypatch.setattr(readiness, "_fonts_ok_at", None)
    assert readiness.fonts() == "fonts missing: No Such Face CJK ZZ (install fonts-noto-cjk)"


def _cuttable(app, tmp_path, name):
    """(a URL to the test database, or a copy of it, that can be cut and restored; cut; restore; close)."""
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "postgresql":
        relay = Relay(url.host or "127.0.0.1", url.port or 5432)
        target = url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
        return target, relay.cut, relay.restore, relay.close
    path = tmp_path / f"{name}.sqlite"
    shutil.copyfile(app.config["PRISTINE_SQLITE"][0], path)

    def cut():
        os.rename(path, f"{path}.away")
        os.mkdir(path)

    def restore():
        os.rmdir(path)
        os.rename(f"{path}.away", path)

    return f"sqlite:///{path}", cut, restore, lambda: None


def test_readyz_checks_the_replica_and_reports_its_lag(app, db, tmp_path):
    """With DATABASE_REPLICA_URL: unready while the replica or the primary is out of reach, ready again when each
    is back; the replica's replay lag is reported (None here: the test's replica is no hot standby)."""
    primary, cut_primary, restore_primary, close_primary = _cuttable(app, tmp_path, "primary")
    replica, cut_replica, restore_replica, close_replica = _cuttable(app, tmp_path, "replica")
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=primary, DATABASE_REPLICA_URL=replica, REPLICA_MAX_LAG_S=45)
    client = other.test_client()

    def dispose():
        with other.app_context():
            from disputes.extensions import db as other_db

            for engine in other_db.engines.values():
                engine.dispose()

    try:
        response = client.get("/readyz")
        assert response.status_code == 200, response.json
        assert response.json["checks"]["replica"] == "ok"
        assert response.json["replica"] == {"lag_s": None, "max_lag_s": 45}

        cut_replica()
        dispose()
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json["checks"]["replica"].startswith("replica unreachable")
        assert response.json["checks"]["database"] == "ok"
        restore_replica()
        assert client.get("/readyz").status_code == 200

        cut_primary()
        dispose()
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json["checks"]["database"].startswith("database unreachable")
        assert response.json["checks"]["replica"] == "ok"
        restore_primary()
        response = client.get("/readyz")
        assert response.status_code == 200, response.json
    finally:
        dispose()
        close_primary()
        close_replica()


def test_the_replica_lag_is_read_from_a_standby(monkeypatch):
    """On PostgreSQL the lag is the age of the last replayed transaction; a query that fails is an unreachable
    replica, not an exception."""

    class Conn:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def scalar(self, statement):
            assert "pg_last_xact_replay_timestamp" in str(statement)
            return 12.34

    class Engine:
        class dialect:
            name = "postgresql"

        def connect(self):
            return Conn()

    assert readiness.replica(Engine()) == (None, 12.3)

    class Broken(Engine):
        def connect(self):
            raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    assert readiness.replica(Broken()) == ("replica unreachable (OperationalError)", None)


def test_readyz_checks_a_folder_or_bucket_document_store(app, db, tmp_path, monkeypatch):
    from botocore.exceptions import ClientError

    from disputes import storage

    folder = tmp_path / "documents"
    setting = {"DOCUMENT_STORE": f"fs:{folder}"}
    assert readiness.check(app_config_app(app, setting), db.engine)["store"] == (
        f"document store fs:{folder} is not a writable folder"
    )  # the mount is missing
    folder.mkdir()
    assert readiness.check(app_config_app(app, setting), db.engine)["store"] is None
    assert "store" not in readiness.check(app_config_app(app, {"DOCUMENT_STORE": "db"}), db.engine)

    class Bucket:
        down = False

        def head_object(self, Bucket, Key):
            if self.down:
                raise ClientError({"Error": {"Code": "503", "Message": "Slow Down"}}, "HeadObject")
            raise ClientError({"Error": {"Code": "404", "Message": "Not Found"}}, "HeadObject")

    bucket = Bucket()
    monkeypatch.setattr(storage, "s3_client", lambda environ=None: bucket)
    storage.forget()
    s3 = {"DOCUMENT_STORE": "s3://documents"}
    assert readiness.check(app_config_app(app, s3), db.engine)["store"] is None  # a missing key is an answer
    bucket.down = True
    assert readiness.check(app_config_app(app, s3), db.engine)["store"] == "document store unreachable (ClientError)"
    monkeypatch.setitem(app.config, "DOCUMENT_STORE", "s3://documents")
    assert app.test_client().get("/readyz").status_code == 503
    bucket.down = False
    assert app.test_client().get("/readyz").status_code == 200
    storage.forget()
