"""The privacy guard as a form check: one validator for every free-text field that may
describe a case or a participant, and the same rule for text read outside a form."""

import re

from wtforms.validators import ValidationError

from lms.i18n import gettext as _
from lms.practice.privacy import describe, find_identifying_data


def identifying_data_refusal(text: str | None, label: str) -> str | None:
    """Why ``text`` may not be saved (what was found, where, what to write instead), or
    None when the guard finds nothing."""
    findings = find_identifying_data(text or "")
    return describe(findings, label) if findings else None


class NoIdentifyingData:
    """WTForms validator: refuses text in which the privacy guard finds identifying data
    about participants. tests/privacy/test_every_field_guarded.py checks that every
    free-text field in the app has it, or is on that test's commented allow-list."""

    def __call__(self, form, field):
        refusal = identifying_data_refusal(field.data, field.label.text)
        if refusal:
            raise ValidationError(refusal)


no_identifying_data = NoIdentifyingData()

# Initials ("J.S.", "JS", "J S") or a role ("prison officer", "peer mentor").
_INITIALS = re.compile(r"(?:[A-Z]\.?\s?){1,4}")


class InitialsOrRole(NoIdentifyingData):
    """For a person who is not on the platform (an external co-facilitator): initials or
    a role only, never a name. Initials pass; anything else must pass the guard."""

    def __call__(self, form, field):
        if _INITIALS.fullmatch((field.data or "").strip()):
            return
        refusal = identifying_data_refusal(field.data, field.label.text)
        if refusal:
            raise ValidationError(
                refusal.split(". ", 1)[0] + ". " + _(
                    "Write their initials or their role (such as “prison officer” or "
                    "“peer mentor”) instead."))


initials_or_role = InitialsOrRole()
