"""commit_or_flash: the one commit at the edge of a request, and what the person is told."""

import pytest
from flask import get_flashed_messages
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from lms.audit import services as audit
from lms.extensions import db
from lms.schemes.models import Scheme, Sector
from lms.views_helpers import CHANGED_MEANWHILE, commit_or_flash


class Refusal(Exception):
    pass


def _add_scheme(slug="helper-scheme"):
    scheme = Scheme(name=f"Scheme {slug}", slug=slug, sector=Sector.PRISON, region="North")
    db.session.add(scheme)
    db.session.flush()
    audit.record("scheme.created", actor=None, object_type="scheme", object_id=scheme.id)


def _schemes():
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(Scheme))


def test_success_commits_and_flashes(app):
    with app.test_request_context("/"):
        assert commit_or_flash(_add_scheme, success=lambda: "Added.") is True
        assert get_flashed_messages(with_categories=True) == [("success", "Added.")]
        assert _schemes() == 1


def test_a_refusal_rolls_back_and_flashes_its_own_message(app):
    def refused():
        _add_scheme()
        raise Refusal("Not allowed: a reason.")

    with app.test_request_context("/"):
        assert commit_or_flash(refused, success="Added.", refused=(Refusal,)) is False
        assert get_flashed_messages(with_categories=True) == [
            ("error", "Not allowed: a reason.")]
        assert _schemes() == 0


@pytest.mark.parametrize("error", [StaleDataError("stale"),
                                   IntegrityError("INSERT", {}, Exception("duplicate"))])
def test_a_concurrent_writer_gives_the_conflict_message(app, error):
    def lost_the_race():
        _add_scheme()
        raise error

    with app.test_request_context("/"):
        assert commit_or_flash(lost_the_race, success="Added.", conflict="Too late.") is False
        assert get_flashed_messages(with_categories=True) == [("error", "Too late.")]
        assert _schemes() == 0
    with app.test_request_context("/"):
        assert commit_or_flash(lost_the_race, success="Added.") is False
        assert get_flashed_messages() == [CHANGED_MEANWHILE]


def test_other_errors_are_not_swallowed(app):
    def broken():
        raise ValueError("a bug")

    with app.test_request_context("/"), pytest.raises(ValueError, match="a bug"):
        commit_or_flash(broken, success="Added.", refused=(Refusal,))
