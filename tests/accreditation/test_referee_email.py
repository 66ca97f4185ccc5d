"""Issue 11: a referee's one-time link is emailed to them through the outbox, and the
practitioner never sees an emailed link, so only the referee can confirm."""

import re

from sqlalchemy import select

from lms.accreditation.models import PortfolioItem
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.notify.models import OutboxMessage
from tests.helpers import login_as

ITEMS = "/accreditation/portfolio/items"


def _reference(email=None):
    return {"kind": "reference", "title": "Reference from my line manager",
            "summary": "Saw me run two conferences in 2025.", "referee_name": "Referee One",
            **({"referee_email": email} if email is not None else {})}


def test_the_link_is_emailed_to_the_referee_and_not_shown(app, people):
    client = login_as(app, people.practitioner)
    response = client.post(ITEMS, data=_reference("referee@example.org"))
    assert response.status_code == 302
    page = client.get("/accreditation/portfolio").get_data(as_text=True)
    assert "/accreditation/references/" not in page
    assert "emailed a one-time link to referee@example.org" in page
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert message.to_address == "referee@example.org"
        assert "Ana Practitioner" in message.subject
        assert "Reference from my line manager" in message.body
        link = re.search(r"https?://\S+/accreditation/references/(\S+)", message.body)
        assert link, message.body
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "portfolio.item_added"))
        assert event.payload == {"kind": "reference", "link": "emailed"}
        assert "referee@example.org" not in str(event.payload)
    # the emailed link works for the referee, once, without an account
    referee = app.test_client()
    url = "/accreditation/references/" + link.group(1)
    assert "Saw me run two conferences" in referee.get(url).get_data(as_text=True)
    response = referee.post(url, data={"referee_name": "Referee One", "statement": "I saw both.",
                                       "confirm": "y"})
    assert "Your reference is recorded" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(PortfolioItem.confirmed_at)) is not None
    assert referee.get(url).status_code == 404


def test_without_an_address_the_link_is_shown_once_and_nothing_is_emailed(app, people):
    client = login_as(app, people.practitioner)
    page = client.post(ITEMS, data=_reference()).get_data(as_text=True)
    assert re.search(r"<code>https?://[^<]+/accreditation/references/[^<]+</code>", page)
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.id)) is None
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "portfolio.item_added"))
        assert event.payload["link"] == "shown"


def test_a_malformed_address_is_refused_and_nothing_is_stored(app, people):
    client = login_as(app, people.practitioner)
    for bad in ("not-an-address", "referee@example.org\nBcc: everyone@example.org"):
        response = client.post(ITEMS, data=_reference(bad))
        assert response.status_code == 422
        assert "Enter an email address like name@example.org." in response.get_data(
            as_text=True)
    with app.app_context():
        assert db.session.scalar(select(PortfolioItem.id)) is None
        assert db.session.scalar(select(OutboxMessage.id)) is None
