"""`flask --app lms demo load`: a lived-in demo site. Idempotent; never run implicitly."""

import click
from flask.cli import AppGroup

from lms.demo import data
from lms.demo.accreditation import load_accreditation_demo
from lms.demo.learning import load_learning_demo
from lms.demo.practice import load_practice_demo
from lms.demo.processes import load_process_demo
from lms.extensions import db

demo_cli = AppGroup("demo", help="Demonstration data.")


@demo_cli.command("load")
def load():
    """Create or update the demo schemes and accounts (safe to run again)."""
    summary = data.load_demo()
    learning_summary = load_learning_demo()
    practice_summary = load_practice_demo()
    accreditation_summary = load_accreditation_demo()
    process_summary = load_process_demo()
    db.session.commit()
    click.echo(summary)
    click.echo(learning_summary)
    click.echo(practice_summary)
    click.echo(accreditation_summary)
    click.echo(process_summary)
    click.echo(f"Demo accounts (password for all: {data.DEMO_PASSWORD}):")
    for username, display_name, description in data.account_list():
        click.echo(f"  {username:<20} {display_name:<22} {description}")
