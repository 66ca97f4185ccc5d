import click
from flask.cli import AppGroup

from lms.extensions import db
from lms.jobs.services import one_at_a_time
from lms.privacy import retention

privacy_cli = AppGroup("privacy", help="Data protection: retention.")


@privacy_cli.command("sweep")
@click.option("--dry-run", is_flag=True, help="List what would change; change nothing.")
@one_at_a_time("privacy-sweep", minutes=120)
def sweep(dry_run):
    """Apply the retention policy (daily; running it twice changes nothing more)."""
    if dry_run:
        for what, rows in retention.plan().items():
            click.echo(f"would change {rows:>6}  {what}")
        return
    for what, rows in retention.sweep().items():
        click.echo(f"changed {rows:>6}  {what}")
    db.session.commit()
