"""Notifications and emails are written in the recipient's language, whatever the language
of the request (or command) that sends them."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db
from lms.notify import services as notify_services
from lms.notify.models import Notification, OutboxMessage


def _person(language, email):
    user = User(username=f"p-{language}", display_name="Person", email=email,
                preferred_language=language)
    db.session.add(user)
    db.session.flush()
    return user


def test_each_recipient_gets_their_own_language(app):
    with app.app_context():
        welsh, english = _person("cy", "cy@example.org"), _person("en", "en@example.org")
        with app.test_request_context(headers={"Accept-Language": "en"}):  # an English page
            for person in (welsh, english):
                notify_services.notify(person, _l("Your details have been saved."),
                                       "/account")
        db.session.commit()
        messages = {n.user_id: n.message for n in db.session.scalars(select(Notification))}
        assert messages == {welsh.id: "Mae eich manylion wedi'u cadw.",
                            english.id: "Your details have been saved."}
        mail = {m.to_address: m for m in db.session.scalars(select(OutboxMessage))}
        assert mail["cy@example.org"].subject == "LMS Adferol: Mae eich manylion wedi'u cadw."
        assert "Rydych yn cael yr e-bost hwn" in mail["cy@example.org"].body
        assert "Agorwch ef yma: " in mail["cy@example.org"].body
        assert mail["en@example.org"].subject == (
            "Restorative LMS: Your details have been saved.")
        assert "You get this email because you use Restorative LMS." in \
            mail["en@example.org"].body


def test_a_command_without_a_request_writes_in_the_recipients_language(app):
    with app.app_context():
        welsh = _person("cy", None)
        notify_services.notify(welsh, _l("Scheme saved."))
        db.session.commit()
        assert db.session.scalar(select(Notification.message)) == "Cynllun wedi'i gadw."
