import click
from flask.cli import AppGroup

from lms.audit.services import verify_chain

audit_cli = AppGroup("audit", help="The tamper-evident audit trail.")


@audit_cli.command("verify")
def verify():
    """Check every event of the audit chain with the audit key; exit 1 if it is broken,
    missing or empty."""
    checked, broken = verify_chain()
    if broken is not None:
        where = f" at event {broken.seq}" if broken.seq is not None else ""
        click.echo(f"BROKEN{where}: {broken.reason} ({checked} events before it are intact)")
        click.get_current_context().exit(1)
    click.echo(f"audit chain intact: {checked} events")
