"""Flask extensions, created unbound and attached in `create_app`."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def migrations(app: Flask | None = None):
    """Flask-Migrate, attached on first use: it imports Alembic, a tenth of a second that every page worker and
    every other `flask` command would otherwise pay at start-up."""
    app = app or current_app._get_current_object()
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIONS), compare_type=True, render_as_batch=True)
    import flask_migrate

    return flask_migrate


def upgrade(**options) -> None:
    """`flask db upgrade` from Python (tests, benchmarks)."""
    migrations().upgrade(**options)


class _MigrationCommands(click.Group):
    """`flask db …`: Flask-Migrate's commands, loaded when asked for."""

    def __init__(self, app: Flask):
        super().__init__("db", help="Database migrations (Flask-Migrate, Alembic).")
        self.app = app

    def _real(self) -> click.Group:
        migrations(self.app)
        from flask_migrate.cli import db as commands

        return commands

    def make_context(self, info_name, args, parent=None, **extra):
        return self._real().make_context(info_name, args, parent=parent, **extra)


def init_migrations(app: Flask) -> None:
    app.cli.add_command(_MigrationCommands(app))


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite enforces foreign keys only when asked, per connection; wait for locks, don't fail."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
