import click
from flask.cli import AppGroup

from lms.audit.legacy import LegacyChainError, seal_legacy_chain
from lms.audit.services import verify_chain
from lms.extensions import db

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


@audit_cli.command("seal-legacy")
def seal_legacy():
    """Once, after upgrading: seal a chain written before the audit key existed."""
    try:
        sealed = seal_legacy_chain()
    except LegacyChainError as refusal:
        db.session.rollback()
        raise click.ClickException(str(refusal)) from None
    db.session.commit()
    click.echo(f"audit chain sealed with the audit key: {sealed} events")
