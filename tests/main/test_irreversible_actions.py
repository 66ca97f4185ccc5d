"""Irreversible actions (deactivating an account, submitting a practice record) are styled
as warnings and are done from a confirmation panel that says what will happen; it works
without JavaScript (details/summary), so the pages carry the whole step."""

import re

from tests.helpers import login_as
from tests.practice.conftest import create_record


def confirm_panel(html, action):
    """The <details class="confirm"> holding the form that posts to `action`, or None."""
    for panel in re.findall(r'<details class="confirm">.*?</details>', html, re.S):
        if f'action="{action}"' in panel:
            return panel
    return None


def test_deactivate_is_a_warning_that_says_what_happens_before_it_is_done(
        client, make_scheme, make_user):
    scheme = make_scheme()
    lead = make_user(role="lead", scheme=scheme)
    person = make_user(role="trainee", scheme=scheme, display_name="Ann Example")
    login_as(client, lead)
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    panel = confirm_panel(html, f"/people/{person.id}/deactivate")
    assert panel is not None
    assert '<summary class="button button-warning">Deactivate account</summary>' in panel
    assert "Ann Example will no longer be able to sign in" in panel
    assert re.search(r'<button type="submit" class="button button-warning">'
                     r"Yes, deactivate Ann Example</button>", panel)
    # Reactivating is not irreversible: an ordinary button, no confirmation.
    client.post(f"/people/{person.id}/deactivate")
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert confirm_panel(html, f"/people/{person.id}/reactivate") is None
    assert "Reactivate account" in html


def test_submitting_a_record_is_a_warning_that_says_it_locks_the_record(
        client, make_scheme, make_user):
    scheme = make_scheme()
    author = make_user(role="trainee", scheme=scheme)
    login_as(client, author)
    record_id = create_record(client, scheme.id)
    html = client.get(f"/practice/{record_id}").get_data(as_text=True)
    panel = confirm_panel(html, f"/practice/{record_id}/submit")
    assert panel is not None
    assert '<summary class="button button-warning">Submit (no more edits)</summary>' in panel
    assert "is locked: nobody can edit it again" in panel
    assert re.search(r'class="button button-warning">Yes, submit [A-Z0-9-]+</button>', panel)
    client.post(f"/practice/{record_id}/submit")
    html = client.get(f"/practice/{record_id}").get_data(as_text=True)
    assert confirm_panel(html, f"/practice/{record_id}/submit") is None
