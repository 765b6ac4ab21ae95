"""调援裁诉 — labour dispute case management."""

import logging
import os

from flask import Flask

from config import CONFIGS, DEV_SECRET_KEY, ConfigError, ProductionConfig, engine_options, problems

log = logging.getLogger(__name__)
SESSION_GENERATION = "generation"  # the session key holding the user's session generation at sign-in


def create_app(config: type | str | None = None, *, instance_path: str | None = None, **overrides) -> Flask:
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="static",
        instance_relative_config=True,
        instance_path=instance_path,
    )
    from_environment = config is None
    if config is None or isinstance(config, str):
        name = config or os.environ.get("APP_CONFIG", "development")
        if name not in CONFIGS:
            raise ConfigError([f"APP_CONFIG={name!r}: must be one of {', '.join(CONFIGS)}"])
        config = CONFIGS[name]
    # Every wrong setting, and in a production started from the environment every missing one, at once.
    found = problems(os.environ, production=from_environment and config is ProductionConfig, given=set(overrides))
    if found:
        raise ConfigError(found)
    app.config.from_object(config)
    app.config.update(overrides)
    if "SQLALCHEMY_ENGINE_OPTIONS" not in overrides:
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
            app.config["SQLALCHEMY_DATABASE_URI"],
            app.config["DB_POOL_SIZE"],
            app.config["DB_MAX_OVERFLOW"],
            app.config["DB_STATEMENT_TIMEOUT_MS"],
            app.config["DB_PGBOUNCER"],
        )
    _replica_bind(app)
    _document_store(app)
    os.makedirs(app.instance_path, exist_ok=True)
    _secret_key(app)
    _behind_proxies(app)
    register_observability(app)
    register_extensions(app)
    register_settings(app)
    register_parameters(app)
    register_unit_of_work(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_shellcontext(app)
    return app


def _secret_key(app: Flask) -> None:
    """SECRET_KEY from the configuration; else, outside production, the installation's own random key. The key the
    repository once shipped is refused everywhere: anyone could sign a session cookie with it."""
    key = app.config.get("SECRET_KEY")
    if key == DEV_SECRET_KEY:
        if app.config["REQUIRE_SECRET_KEY"]:
            raise RuntimeError("Set SECRET_KEY: the development key must not sign production sessions.")
        log.warning("SECRET_KEY is the public development key: ignored, the installation's own key is used")
        key = None
    if not key:
        if app.config["REQUIRE_SECRET_KEY"]:
            raise RuntimeError("Set SECRET_KEY: production does not start without a secret key of its own.")
        from disputes import secret_key

        key = secret_key.load_or_create(app.instance_path)
    app.config["SECRET_KEY"] = key


def _replica_bind(app: Flask) -> None:
    """DATABASE_REPLICA_URL as Flask-SQLAlchemy's `replica` bind: an engine of its own, with the primary's pool and
    timeout settings, that only the report pages read through (disputes/web/replica.py)."""
    url = app.config.get("DATABASE_REPLICA_URL") or ""
    if not url:
        return
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url.removeprefix(prefix)
    options = engine_options(
        url,
        app.config["DB_POOL_SIZE"],
        app.config["DB_MAX_OVERFLOW"],
        app.config["DB_STATEMENT_TIMEOUT_MS"],
        app.config["DB_PGBOUNCER"],
    )
    app.config["SQLALCHEMY_BINDS"] = {**(app.config.get("SQLALCHEMY_BINDS") or {}), "replica": {"url": url, **options}}


def _document_store(app: Flask) -> None:
    """The document store is read from the configuration of the app in whose context the code runs (storage.py
    knows nothing of Flask); a wrong setting stops the start."""
    from flask import current_app, has_app_context

    from disputes import storage

    try:
        storage.parse_setting(app.config.get("DOCUMENT_STORE") or "db")
    except ValueError as error:
        raise ConfigError([f"DOCUMENT_STORE: {error}"]) from None
    storage.use_setting(lambda: (current_app.config.get("DOCUMENT_STORE") or "db") if has_app_context() else "db")


def _behind_proxies(app: Flask) -> None:
    """Trust PROXY_FIX_HOPS proxies' X-Forwarded-For/-Proto/-Host/-Port, so the rate limiter and the logs see the
    client and url_for builds the public address; more hops than are really there would let a client spoof."""
    hops = app.config.get("PROXY_FIX_HOPS") or 0
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)


def register_observability(app: Flask) -> None:
    """Request ids, JSON logs, request metrics, error reports (disputes/ops/observability.py)."""
    from disputes.ops import observability

    observability.register(app)


def register_extensions(app: Flask) -> None:
    from flask_talisman import Talisman

    from disputes import jobs, models  # noqa: F401  (mappers must exist before the first query)
    from disputes.extensions import babel, csrf, db, init_migrations, limiter, login_manager
    from disputes.web.messages import select_locale, select_timezone

    db.init_app(app)
    init_migrations(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    jobs.init_app(app)
    # Talisman keeps its settings on the instance, so each app gets its own.
    app.extensions["talisman"] = Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy={"default-src": "'self'", "img-src": "'self' data:", "style-src": "'self'"},
        frame_options="DENY",
    )

    @login_manager.user_loader
    def load_user(user_id: str):
        """The session's user, unless the session was signed in before the user's sessions were ended (sign-out,
        password change or reset, deactivation, role change): its generation then differs."""
        from flask import session

        from disputes.models import User

        user = db.session.get(User, int(user_id))
        if user is None or not user.active or session.get(SESSION_GENERATION) != user.session_generation:
            return None
        return user


def register_settings(app: Flask) -> None:
    """Hand the domain the settings it reads outside Flask (deadlines.md rule 4)."""
    from disputes.sla import settings

    settings.MAKEUP_WORKDAY_ENDS_PERIOD = app.config["MAKEUP_WORKDAY_ENDS_PERIOD"]
    from disputes.documents import fonts

    fonts.warn_if_unavailable()  # documents.md: small PDFs need HarfBuzz subsetting
    from disputes.documents import verify

    problem = verify.base_url_problem(app.config)
    if problem:  # issuing will refuse; say so at start-up, not only at the first document
        log.warning("%s", problem % {"url": app.config.get("PUBLIC_BASE_URL", "")})


def register_parameters(app: Flask) -> None:
    """Before the routes: every `<int:…>` is a bounded id; every response to a signed-in user is `no-store`."""
    from disputes.params import IdConverter, refuse_control_characters
    from disputes.web import headers

    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_control_characters)
    headers.register(app)


def register_unit_of_work(app: Flask) -> None:
    """One commit per request, after the view (disputes/web/unit_of_work.py)."""
    from disputes.web import replica, unit_of_work

    unit_of_work.register(app)
    replica.register(app)


def register_blueprints(app: Flask) -> None:
    from disputes.admin import bp as admin_bp
    from disputes.arbitration import bp as arbitration_bp
    from disputes.auth import bp as auth_bp
    from disputes.cases import bp as cases_bp
    from disputes.documents_web import bp as documents_bp
    from disputes.documents_web import service_bp
    from disputes.ledger_web import bp as ledger_bp
    from disputes.legal_aid import bp as legal_aid_bp
    from disputes.litigation import bp as litigation_bp
    from disputes.mediation import bp as mediation_bp
    from disputes.metrics_web import bp as reports_bp
    from disputes.ops.web import bp as ops_bp
    from disputes.queues_web import bp as work_bp
    from disputes.sla_web import bp as deadlines_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(mediation_bp)
    app.register_blueprint(arbitration_bp)
    app.register_blueprint(legal_aid_bp)
    app.register_blueprint(litigation_bp)
    app.register_blueprint(work_bp)
    app.register_blueprint(deadlines_bp)
    app.register_blueprint(service_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(ledger_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(ops_bp)
    register_portal(app)


def register_portal(app: Flask) -> None:
    """The parties' side (issue 20) in the same app, on its own session cookie (disputes/portal/sessions.py)."""
    import os

    from disputes.applications_web import bp as applications_bp
    from disputes.portal import bp as portal_bp
    from disputes.portal import reminders, sessions

    if not app.config.get("MESSAGE_OUTBOX"):
        app.config["MESSAGE_OUTBOX"] = os.path.join(app.instance_path, "outbox.jsonl")
    sessions.install(app)
    assert reminders.notify_changed  # imported: it sends the hearing and session notices as a change commits
    from disputes.portal.cli import portal_cli

    app.cli.add_command(portal_cli)
    app.register_blueprint(portal_bp)
    app.register_blueprint(applications_bp)
    from disputes.messaging.reports import bp as gateway_bp

    app.register_blueprint(gateway_bp)


def register_errorhandlers(app: Flask) -> None:
    from disputes.web.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from disputes.web.templating import register

    register(app)


def register_commands(app: Flask) -> None:
    from disputes.cli import register

    register(app)


def register_shellcontext(app: Flask) -> None:
    from disputes import models
    from disputes.extensions import db

    app.shell_context_processor(lambda: {"db": db, **{name: getattr(models, name) for name in models.__all__}})
