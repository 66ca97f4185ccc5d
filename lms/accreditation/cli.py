import click
from flask.cli import AppGroup

from lms.accreditation import lifecycle, signing_keys
from lms.extensions import db
from lms.jobs.services import one_at_a_time

accreditation_cli = AppGroup("accreditation", help="Accreditation records and signing keys.")


@accreditation_cli.command("sweep")
@one_at_a_time("accreditation-sweep", minutes=120)
def sweep():
    """Daily: expiring/lapsed by date, dependent levels, reminders. Safe to run twice."""
    counts = lifecycle.sweep()
    db.session.commit()
    click.echo("sweep: " + ", ".join(f"{n} {what}" for what, n in counts.items()))


@accreditation_cli.command("rotate-key")
def rotate_key():
    """Start signing with a new key; old keys stay published so old credentials verify."""
    try:
        key = signing_keys.rotate()
    except signing_keys.SigningKeyError as problem:
        raise click.ClickException(str(problem)) from None
    db.session.commit()
    click.echo(f"new signing key: {key.kid} (previous keys stay in the JWKS)")


@accreditation_cli.command("import-legacy-keys")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
def import_legacy_keys(folder):
    """Publish the keys of instance/signing-keys/ (earlier releases) as retired keys."""
    added = signing_keys.import_legacy_keys(folder)
    db.session.commit()
    click.echo(f"{len(added)} earlier key(s) published: {', '.join(added) or 'none new'}")
