"""Names shown to others are cleaned whenever they are set: by a form, an import, the
command line or a service. A line break in a name once reached an email subject and
stopped the outbox; a right-to-left override can make a name read as another."""

from sqlalchemy import event

from lms.auth.models import User
from lms.inputs.text import clean_name
from lms.practice.models import PracticeRecord
from lms.schemes.models import Scheme


def _name_attributes():
    return (User.display_name, Scheme.name, Scheme.region, PracticeRecord.co_facilitator_name)


def _clean(_target, value, _old, _initiator):
    return clean_name(value) if isinstance(value, str) else value


def listen():
    """Idempotent: the app factory may run several times in one process (tests)."""
    for attribute in _name_attributes():
        if not event.contains(attribute, "set", _clean):
            event.listen(attribute, "set", _clean, retval=True)
