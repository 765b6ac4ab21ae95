from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from disputes import SESSION_GENERATION, accounts, organisation, policy
from disputes.auth import bp
from disputes.auth.forms import LanguageForm, LoginForm, PasswordChangeForm
from disputes.extensions import db, limiter
from disputes.i18n import DomainError
from disputes.models import Role
from disputes.web.messages import translate_error


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_url() -> str:
    if policy.can_read_cases(current_user):
        return url_for("cases.index")
    if policy.can_administer(current_user):
        return url_for("admin.users")
    return url_for("auth.account")


# The roles whose work comes as a queue (issue 16): signing in opens "My work" for them.
QUEUED_ROLES = (Role.CLERK, Role.MEDIATOR, Role.ARBITRATOR, Role.LEGAL_AID_OFFICER, Role.SUPERVISOR)


def landing_url() -> str:
    """Where signing in leads: "My work" for staff whose work is queued, else the home page."""
    if policy.can_read_cases(current_user) and current_user.has_role(*QUEUED_ROLES):
        return url_for("work.index")
    return home_url()


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(home_url())


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")) or landing_url())
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                db.session,
                form.username.data,
                form.password.data,
                current_app.config["LOGIN_MAX_FAILURES"],
                current_app.config["LOGIN_LOCKOUT_MINUTES"],
            )
        except DomainError as error:  # the failure count is kept: the page is a 200, the request commits
            form.password.errors.append(translate_error(error))
        else:
            session.clear()
            login_user(user)
            session[SESSION_GENERATION] = user.session_generation
            session.permanent = True
            return redirect(_safe_next(form.next.data) or landing_url())
    return render_template("auth/login.html", form=form, language_form=LanguageForm())


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    current_user.end_sessions()  # this one and every other session of the user, e.g. a copied cookie
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
    return redirect(_safe_next(form.next.data) or url_for("auth.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            try:
                organisation.reset_password(current_user, form.password.data)
                db.session.flush()  # the new session generation, read below, comes from the database
            except DomainError as error:
                form.password.errors.append(translate_error(error))
            else:
                session[SESSION_GENERATION] = current_user.session_generation  # the others have ended
                flash(_("Your password has been changed."), "success")
                return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)
