import re

from sqlalchemy import func, select

from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.practice.models import PracticeRecord
from tests.helpers import login_as
from tests.practice.conftest import GOOD_RECORD, create_record


def _record(app, record_id):
    with app.app_context():
        return db.session.get(PracticeRecord, record_id)


def test_record_gets_a_pseudonymous_case_code_and_starts_as_draft(app, practice_scheme):
    client = login_as(app, practice_scheme.practitioner)
    record_id = create_record(client, practice_scheme.scheme.id)
    record = _record(app, record_id)
    assert record.status == "draft"
    assert record.case_code.startswith("RJ-")
    assert len(record.case_code) == 14
    assert record.stages == ["preparation", "delivery"]
    assert record.direct
    assert record.face_to_face
    page = client.get(f"/practice/{record_id}").get_data(as_text=True)
    assert record.case_code in page
    assert "Formal restorative conference" in page


def test_identifying_data_is_refused_with_a_message_and_input_kept(app, practice_scheme):
    client = login_as(app, practice_scheme.practitioner)
    reflection = "Called the victim on 07700 900123 and emailed jo.bloggs@example.org."
    response = client.post("/practice/new", data={**GOOD_RECORD,
                                                  "scheme": practice_scheme.scheme.id,
                                                  "reflection": reflection})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "a phone number" in page
    assert "an email address" in page
    assert 'id="reflection-error"' in page
    assert "07700 900123" in page
    assert "jo.bloggs@example.org" in page
    assert re.search(r'<input checked[^>]*name="harm_category"[^>]*value="violence"', page)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PracticeRecord)) == 0


def test_bad_input_gets_messages_next_to_fields(app, practice_scheme):
    client = login_as(app, practice_scheme.practitioner)
    response = client.post("/practice/new", data={
        **GOOD_RECORD, "scheme": practice_scheme.scheme.id, "stages": [],
        "occurred_on": "2999-01-01", "communication": ""})
    page = response.get_data(as_text=True)
    assert "Choose at least one stage." in page
    assert "The date cannot be in the future." in page
    assert "Choose direct or indirect." in page


def test_drafts_can_be_edited_but_submitted_records_cannot(app, practice_scheme):
    client = login_as(app, practice_scheme.practitioner)
    record_id = create_record(client, practice_scheme.scheme.id)
    page = client.get(f"/practice/{record_id}/edit").get_data(as_text=True)
    assert "Preparation with the person harmed" in page
    response = client.post(f"/practice/{record_id}/edit", data={
        **GOOD_RECORD, "scheme": practice_scheme.scheme.id, "reflection": "Revised reflection."})
    assert response.status_code == 302
    assert client.post(f"/practice/{record_id}/submit").status_code == 302
    response = client.post(f"/practice/{record_id}/edit", data={
        **GOOD_RECORD, "scheme": practice_scheme.scheme.id, "reflection": "Sneaky change."})
    assert response.status_code == 302
    record = _record(app, record_id)
    assert record.reflection == "Revised reflection."
    assert record.status == "submitted"
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        assert actions == ["practice.created", "process.started", "process.edited",
                           "practice.edited", "practice.submitted"]


def test_others_cannot_see_or_edit_a_record(app, practice_scheme):
    client = login_as(app, practice_scheme.practitioner)
    record_id = create_record(client, practice_scheme.scheme.id)
    colleague = login_as(app, practice_scheme.colleague)
    assert colleague.get(f"/practice/{record_id}").status_code == 404
    assert colleague.post(f"/practice/{record_id}/submit").status_code == 404
    outsider = login_as(app, practice_scheme.other_supervisor)
    assert outsider.get(f"/practice/{record_id}").status_code == 404
    supervisor = login_as(app, practice_scheme.supervisor)
    assert supervisor.get(f"/practice/{record_id}").status_code == 200
    assert supervisor.post(f"/practice/{record_id}/edit", data=GOOD_RECORD).status_code == 404
    assert _record(app, record_id).status == "draft"


def test_practice_log_query_count_does_not_grow(app, practice_scheme, count_queries):
    client = login_as(app, practice_scheme.practitioner)

    def measure():
        with count_queries() as counter:
            assert client.get("/practice/").status_code == 200
        return counter.count

    create_record(client, practice_scheme.scheme.id)
    small = measure()
    for _ in range(15):
        create_record(client, practice_scheme.scheme.id)
    assert measure() == small


def test_the_log_pages_its_records_with_their_supervisors_in_one_query(app, practice_scheme,
                                                                     count_queries):
    """The page of records comes as rows with each one's supervisor's name joined, in one
    query, and the total from a count of the author's records; a page past the end shows
    the last page."""
    client = login_as(app, practice_scheme.practitioner)
    ids = [create_record(client, practice_scheme.scheme.id) for _ in range(27)]
    with app.app_context():
        db.session.execute(PracticeRecord.__table__.update()
                           .where(PracticeRecord.id == ids[-1])
                           .values(status="awaiting sign-off",
                                   supervisor_id=practice_scheme.supervisor.id))
        db.session.commit()
    with count_queries() as counter:
        first = client.get("/practice/").get_data(as_text=True)
    listing = [s for s in counter.statements if "FROM practice_records" in s
               and "practice_records.case_code" in s]
    assert len(listing) == 1
    assert "JOIN users" in listing[0]
    assert "practice_records.reflection" not in listing[0]  # only what the list shows
    [total] = [s for s in counter.statements if "FROM practice_records" in s
               and s.lstrip().lower().startswith("select count(*)")]
    assert "JOIN" not in total
    assert not [s for s in counter.statements if s.lstrip().upper().startswith("SELECT USERS")]
    assert "Page 1 of 2" in first
    assert f"Awaiting sign-off ({practice_scheme.supervisor.display_name})" in first
    assert first.count('href="/practice/') - first.count('href="/practice/new') >= 25
    second = client.get("/practice/?page=2").get_data(as_text=True)
    beyond = client.get("/practice/?page=9").get_data(as_text=True)
    assert "Page 2 of 2" in second
    assert "Page 2 of 2" in beyond
    assert len(re.findall(r"RJ-[A-Z0-9-]{11}", second)) == 2


def test_the_fields_that_feed_the_figures_start_unchosen(app, practice_scheme):
    client = login_as(app, practice_scheme.practitioner)
    page = client.get("/practice/new").get_data(as_text=True)
    for field, prompt in [("sector", "Choose the setting"),
                          ("process_type", "Choose the type of process"),
                          ("involvement", "Choose who was involved"),
                          ("practitioner_role", "Choose your role")]:
        select = page.split(f'name="{field}"')[1].split("</select>")[0]
        # the prompt comes first and nothing is chosen for the practitioner
        assert select.split("<option", 2)[1].startswith(f' value="">{prompt}</option>'), field
        assert "selected" not in select, field
    # harms are checkboxes (one or more), none ticked for the practitioner
    harms = page.split('id="harm_category"')[1].split("</fieldset>")[0]
    assert 'name="harm_category"' in harms
    assert "checked" not in harms
    response = client.post("/practice/new", data={
        **GOOD_RECORD, "scheme": practice_scheme.scheme.id, "sector": "",
        "process_type": "", "harm_category": "", "practitioner_role": "", "involvement": ""})
    page = response.get_data(as_text=True)
    for message in ("Choose the setting.", "Choose the type of process.", "Choose the harm.",
                    "Choose who was involved.", "Choose your role in the process."):
        assert message in page


def test_practice_dates_are_in_the_pages_language(app, practice_scheme):
    """The log, the record and its process give the date in the page's language
    (14 Hyd 2026 in Welsh), not strftime's English month."""
    client = login_as(app, practice_scheme.practitioner)
    record_id = create_record(client, practice_scheme.scheme.id)  # 14 October 2026
    assert "14 Oct 2026" in client.get("/practice/").get_data(as_text=True)
    client.post("/language", data={"language": "cy", "next": "/"})
    for url in ("/practice/", f"/practice/{record_id}"):
        page = client.get(url).get_data(as_text=True)
        assert "14 Hyd 2026" in page
        assert "Oct 2026" not in page


def test_no_template_writes_a_month_in_english_whatever_the_language():
    """Dates go through the local_date or utc_datetime filters (Babel): strftime's %b and
    %B are always English."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    english_months = [str(path.relative_to(templates)) for path in templates.rglob("*.html")
                      if re.search(r"strftime\([^)]*%[bB]", path.read_text())]
    assert english_months == []
