"""The kind of person an account belongs to, counted in the training figures."""

from lms.i18n import lazy_gettext as _l

#: value -> label. Prisoners and pupils trained as facilitators are counted apart from
#: staff and volunteers, as the programmes report them.
PERSON_KINDS = {
    "staff": _l("Staff"),
    "volunteer": _l("Volunteer"),
    "prisoner": _l("Prisoner"),
    "pupil": _l("Pupil"),
}


def kind_label(value: str | None):
    return PERSON_KINDS.get(value or "", _l("Not recorded"))
