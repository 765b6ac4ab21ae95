"""`flask portal notify`: hearing notices and reminders to the parties (run it every few minutes)."""

import click
from flask.cli import with_appcontext


@click.group("portal", help="The parties' side (issue 20).")
def portal_cli() -> None:
    pass


@portal_cli.command("notify")
@with_appcontext
def notify_command() -> None:
    """Send the hearing notices and the 7-day and 1-day reminders that are due (each once per person)."""
    from flask import current_app

    from disputes.extensions import db
    from disputes.portal import reminders

    with current_app.test_request_context():  # the messages' links and translations need a request context
        sent = reminders.run(db.session)
    db.session.commit()  # CLI: the messages sent are recorded
    click.echo(f"{sent} messages sent")
