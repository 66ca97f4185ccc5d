"""Every free-text field in every form of the app runs the privacy guard, unless it is on
the allow-list below with the reason it is not about a case or a participant.

A new form or field that may describe a case fails here until it has the validator
(`lms.privacy.validators.no_identifying_data`) or a reasoned allow-list entry."""

import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

import lms
from lms.privacy.validators import NoIdentifyingData

#: "module.Form.field": why it holds nothing about a case or a participant.
NOT_ABOUT_CASES = {
    # Accounts: the practitioner's own name and username, not a participant's.
    "lms.auth.forms.LoginForm.username": "sign-in username",
    "lms.auth.forms.ForgottenPasswordForm.account": "one's own username or email, not stored",
    "lms.auth.forms.ProfileForm.display_name": "the account holder's own name",
    "lms.people.forms.PersonForm.username": "a staff account's username",
    "lms.people.forms.PersonForm.display_name": "a staff account holder's name",
    # Searches and filters: typed to find accounts, never stored.
    "lms.people.forms.PeopleFilterForm.q": "search box, not stored",
    "lms.main.search.SearchForm.q": "staff search box, not stored",
    "lms.reports.forms.PractitionerFilterForm.q": "search box, not stored",
    "lms.learning.forms.LearnerFilterForm.q": "search box, not stored",
    "lms.audit.forms.TrailFilterForm.person": "audit trail filter, not stored",
    "lms.audit.forms.TrailFilterForm.action": "audit trail filter, not stored",
    "lms.audit.forms.TrailFilterForm.object_type": "audit trail filter, not stored",
    "lms.audit.forms.TrailFilterForm.object_id": "audit trail filter, not stored",
    "lms.accreditation.forms.RegisterSearchForm.q": "public register search, not stored",
    "lms.accreditation.forms.RegisterSearchForm.scheme": "public register filter",
    "lms.accreditation.forms.RegisterSearchForm.level": "public register filter",
    "lms.accreditation.forms.RegisterSearchForm.sector": "public register filter",
    "lms.accreditation.forms.BulkCheckForm.numbers": "certificate numbers to check; not stored",
    # Learning: machine values and accounts, not case text.
    "lms.learning.forms.KnowledgeCheckForm.shown": "a fingerprint of the paper shown (hex)",
    "lms.learning.forms.RegisterEntryForm.hours": "hours attended, a number",
    "lms.learning.forms.RegisterEntryForm.usernames": "usernames of learners who attended",
    # Practitioners' own details and the people who vouch for them, never participants.
    "lms.accreditation.forms.LegalNameForm.legal_name": "the holder's own legal name",
    "lms.accreditation.forms.InsuranceForm.insurer": "the trainer's insurer",
    "lms.accreditation.forms.InsuranceForm.policy_number": "the trainer's policy number",
    "lms.accreditation.forms.PortfolioItemForm.referee_name": "a referee (a colleague)",
    "lms.accreditation.forms.PortfolioItemForm.referee_email": "a referee's address",
    "lms.accreditation.forms.ReferenceForm.referee_name": "the referee's own name",
    "lms.accreditation.forms.RegisterSearchForm.region": "public register filter",
    "lms.accreditation.forms.RegisterSearchForm.status": "public register filter",
    # Lists of platform usernames and machine text.
    "lms.learning.forms.EnrolForm.usernames": "usernames of learners to enrol",
    "lms.learning.forms.EnrolConfirmForm.usernames": "usernames carried to the confirm step",
    "lms.accreditation.forms.PasteCredentialForm.token": "a signed credential to verify",
    # Scheme and course administration.
    "lms.schemes.forms.SchemeForm.name": "the name of a scheme (an organisation)",
    "lms.schemes.forms.SchemeForm.slug": "the scheme's short web name",
    "lms.learning.forms.SessionForm.location": "where a training session is held",
    "lms.practice.forms.CpdForm.provider": "the organisation that provided the training",
    # Usernames of colleagues on the platform (looked up, never a participant).
    "lms.processes.forms.EnterCodeForm.code": "a feedback code typed from a card; not stored",
    "lms.practice.forms.SupervisionForm.practitioner": "the practitioner's username",
    "lms.practice.forms.RecogniseSupervisorForm.username": "the supervisor's username",
    "lms.areas.forms.GrantViewerForm.username": "the viewer's username",
}

NOT_FREE_TEXT = (PasswordField, EmailField, HiddenField)


def _app_forms() -> list[type[FlaskForm]]:
    for module in pkgutil.walk_packages(lms.__path__, "lms."):
        if ".migrations" not in module.name and not module.name.endswith("build_name_lists"):
            importlib.import_module(module.name)
    found, todo = [], [FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("lms."):
                found.append(sub)
    return found


def free_text_fields() -> list[tuple[str, UnboundField]]:
    fields = []
    for form in _app_forms():
        for name in dir(form):
            unbound = getattr(form, name)
            if (isinstance(unbound, UnboundField)
                    and issubclass(unbound.field_class, StringField | TextAreaField)
                    and not issubclass(unbound.field_class, NOT_FREE_TEXT)):
                fields.append((f"{form.__module__}.{form.__qualname__}.{name}", unbound))
    return fields


def _guarded(unbound: UnboundField) -> bool:
    validators = unbound.kwargs.get("validators") or (
        unbound.args[1] if len(unbound.args) > 1 else ())
    return any(isinstance(v, NoIdentifyingData) for v in validators or ())


def test_the_walk_finds_the_forms_that_describe_cases():
    names = {name for name, _ in free_text_fields()}
    assert {"lms.practice.forms.PracticeRecordForm.reflection",
            "lms.practice.forms.AssessmentForm.feedback",
            "lms.practice.forms.SupervisionForm.notes",
            "lms.practice.forms.CpdForm.activity",
            "lms.accreditation.forms.DecisionForm.reasons"} <= names


@pytest.mark.parametrize(("name", "unbound"), free_text_fields(),
                         ids=[name for name, _ in free_text_fields()])
def test_every_free_text_field_is_guarded_or_allowed(name, unbound):
    if name in NOT_ABOUT_CASES:
        assert not _guarded(unbound), f"{name} is guarded: take it off the allow-list"
    else:
        assert _guarded(unbound), (
            f"{name} is free text without the privacy guard: add "
            "lms.privacy.validators.no_identifying_data to its validators, or add it to "
            "NOT_ABOUT_CASES with the reason it never describes a case")


def test_allow_list_names_only_real_fields():
    names = {name for name, _ in free_text_fields()}
    assert set(NOT_ABOUT_CASES) <= names
