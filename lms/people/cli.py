import click
from flask.cli import AppGroup

from lms.audit import services as audit
from lms.auth import services as auth_services
from lms.auth.models import User
from lms.extensions import db
from lms.people.services import username_problem

users_cli = AppGroup("users", help="Manage accounts from the command line.")


@users_cli.command("create-admin")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="The administrator's full name.")
@click.option("--email", default=None, help="Optional email address.")
def create_admin(username, display_name, email):
    """Create an administrator and print a one-time password (first set-up of a new site)."""
    problem = username_problem(username)
    if problem:
        raise click.UsageError(problem)
    if auth_services.find_user_by_username(username) is not None:
        raise click.UsageError(f"An account named {username!r} already exists.")
    user = User(
        username=auth_services.normalise_username(username),
        display_name=display_name,
        email=auth_services.normalise_email(email),
        is_admin=True,
    )
    otp = auth_services.issue_one_time_password(user)
    db.session.add(user)
    db.session.flush()
    # Often the first event of a new site's audit chain: an empty chain reads as tampering.
    audit.record("user.created", actor=None, object_type="user", object_id=user.id,
                 payload={"admin": True, "one_time_password_issued": True})
    db.session.commit()
    click.echo(f"Administrator {user.username} created. One-time password: {otp}")
    click.echo("They must choose their own password when they first sign in.")
