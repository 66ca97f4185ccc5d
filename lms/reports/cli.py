import click
from flask.cli import AppGroup

from lms.extensions import db
from lms.jobs.services import one_at_a_time
from lms.reports import snapshots

reports_cli = AppGroup("reports", help="Dashboards and figures.")


@reports_cli.command("refresh-figures")
@one_at_a_time("reports-refresh-figures", minutes=30)
def refresh_figures():
    """Every few minutes: recompute the kept figures viewed in the last day before they
    reach their max age (courses/policy.yaml); drop those nobody has viewed since."""
    dropped = snapshots.drop_unviewed()
    db.session.commit()
    recomputed = gone = 0
    for row in snapshots.due():  # each committed on its own: a long run holds no lock
        if snapshots.recompute(*row):
            recomputed += 1
        else:
            gone += 1
        db.session.commit()
    click.echo(f"figures recomputed: {recomputed}; dropped (not viewed): {dropped}"
               + (f"; dropped (no longer computed): {gone}" if gone else ""))
