"""The instant form, outcomes, take-up counts and anonymous feedback by code."""

import re

from sqlalchemy import func, inspect, select

from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.processes.models import (
    FeedbackCode,
    FeedbackResponse,
    ProcessOutcome,
    ProcessTakeUp,
    RestorativeProcess,
)
from tests.helpers import login_as
from tests.processes.conftest import INSTANT, log_conference


def _process_id(app):
    with app.app_context():
        return db.session.scalar(select(func.max(RestorativeProcess.id)))


def test_the_instant_form_chooses_nothing_for_the_practitioner(app, team):
    client = login_as(app, team.lead_practitioner)
    page = client.get("/processes/instant").get_data(as_text=True)
    for field, prompt in [("setting", "Choose the setting"),
                          ("involvement", "Choose who was involved"),
                          ("harm", "Choose the harm")]:
        options = page.split(f'name="{field}"')[1].split("</select>")[0]
        assert options.split("<option", 2)[1].startswith(f' value="">{prompt}</option>')
        assert "selected" not in options
    agreement = page.split('id="agreement_reached"')[1].split("</fieldset>")[0]
    assert "checked" not in agreement
    response = client.post("/processes/instant", data={
        "scheme": team.scheme.id, "occurred_on": "2026-10-14"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for message in ("Choose the setting.", "Choose who was involved.", "Choose the harm.",
                    "Say whether it was resolved with an agreement."):
        assert message in html
    assert _process_id(app) is None


def test_an_instant_resolution_is_logged_in_one_post(app, team):
    client = login_as(app, team.lead_practitioner)
    response = client.post("/processes/instant", data={**INSTANT, "scheme": team.scheme.id})
    assert response.status_code == 302
    with app.app_context():
        process = db.session.scalar(select(RestorativeProcess))
        assert (process.process_type, process.setting, process.involvement) == (
            "instant", "housing", "neighbours")
        assert process.harm_keys == ["noise"]
        assert process.answers() == {"agreement_reached": "yes"}
        assert [p.user_id for p in process.participants] == [team.lead_practitioner.id]
        code = process.case_code
    # it is listed in the practitioner's log, though it has no practice record
    assert code in client.get("/practice/").get_data(as_text=True)


def test_a_choice_the_setting_does_not_offer_is_refused_next_to_its_field(app, team):
    client = login_as(app, team.lead_practitioner)
    response = client.post("/processes/instant", data={
        **INSTANT, "scheme": team.scheme.id, "involvement": "pupil_pupil"})
    html = response.get_data(as_text=True)
    assert 'id="involvement-error"' in html
    assert "Choose who was involved from those this setting offers." in html
    assert re.search(r'<option selected value="pupil_pupil">', html)  # input kept
    assert _process_id(app) is None


def test_outcomes_depend_on_the_setting_and_bad_input_is_explained(app, team):
    client, _record = log_conference(app, team)
    process_id = _process_id(app)
    page = client.get(f"/processes/{process_id}/outcomes").get_data(as_text=True)
    assert 'name="agreement_reached"' in page
    assert 'name="repeat_incident"' in page
    assert "within 6 months" in page
    assert 'name="continued_in_education"' not in page  # a school question
    response = client.post(f"/processes/{process_id}/outcomes", data={
        "agreement_reached": "yes", "items_agreed": "2", "items_completed": "5"})
    html = response.get_data(as_text=True)
    assert 'id="items_completed-error"' in html
    assert "More items completed than were agreed." in html
    assert 'value="5"' in html
    response = client.post(f"/processes/{process_id}/outcomes", data={
        "agreement_reached": "yes", "repeat_incident": "no", "items_agreed": "2",
        "items_completed": "1", "continued_in_education": "yes"})
    assert response.status_code == 302
    with app.app_context():
        answers = dict(db.session.execute(
            select(ProcessOutcome.key, ProcessOutcome.answer)).all())
        assert answers == {"agreement_reached": "yes", "repeat_incident": "no"}
        process = db.session.get(RestorativeProcess, process_id)
        assert (process.items_agreed, process.items_completed) == (2, 1)


COUNTS = {"offered": 4, "interested": 3, "met": 2, "took_part": 2, "declined_at_offer": 1,
          "declined_after_interest": 1, "declined_after_meeting": 0}


def _take_up(harmed, responsible):
    return {**{f"harmed-{k}": str(v) for k, v in harmed.items()},
            **{f"responsible-{k}": str(v) for k, v in responsible.items()}}


def test_take_up_is_counts_that_must_add_up(app, team):
    client, _record = log_conference(app, team)
    process_id = _process_id(app)
    bad = {**COUNTS, "interested": 9}
    response = client.post(f"/processes/{process_id}/take-up", data=_take_up(COUNTS, bad))
    html = response.get_data(as_text=True)
    assert "No more people can reach a stage than reached the stage before it." in html
    assert 'value="9"' in html
    response = client.post(f"/processes/{process_id}/take-up",
                           data={**_take_up(COUNTS, COUNTS), "harmed-met": "-1"})
    assert 'id="harmed-met-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProcessTakeUp)) == 0
    response = client.post(f"/processes/{process_id}/take-up", data=_take_up(COUNTS, COUNTS))
    assert response.status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(ProcessTakeUp)).all()
        assert {r.party: (r.offered, r.took_part) for r in rows} == {
            "harmed": (4, 2), "responsible": (4, 2)}
    # counts only: the table has no column that could hold who someone is (besides the
    # counts, only the process's own scheme and date, copied for the figures)
    columns = set(inspect(ProcessTakeUp).columns.keys())
    assert columns == {"process_id", "scheme_id", "occurred_on", "party", *COUNTS}


def _make_code(client, process_id, max_answers="2"):
    response = client.post(f"/processes/{process_id}/feedback/code",
                           data={"max_answers": max_answers})
    html = response.get_data(as_text=True)
    found = re.search(r'<strong class="code">([A-Z0-9-]+)</strong>', html)
    assert found, html[-1500:]
    return found.group(1)


def test_anonymous_feedback_by_code_is_single_use_per_answer(app, team):
    client, _record = log_conference(app, team)
    process_id = _process_id(app)
    code = _make_code(client, process_id, max_answers="2")
    with app.app_context():
        stored = db.session.scalar(select(FeedbackCode))
        assert stored.code_hash != code
        assert code not in stored.code_hash
    public = app.test_client()
    assert public.get(f"/feedback/{code}").status_code == 200
    # consent is required, and the comment is guarded; input is kept
    response = public.post(f"/feedback/{code}", data={
        "satisfaction": "4", "recommend": "yes", "comment": "Kyle was great."})
    html = response.get_data(as_text=True)
    assert "Tick the box to agree" in html
    assert 'id="comment-error"' in html or "Remove a name" in html
    for answer in ("5", "3"):
        response = public.post(f"/feedback/{code}", data={
            "consent": "y", "satisfaction": answer, "recommend": "yes",
            "comment": "It helped."})
        assert response.status_code == 200
        assert "Thank you" in response.get_data(as_text=True)
    # the code was good for two answers: a third is refused
    response = public.post(f"/feedback/{code}", data={"consent": "y", "satisfaction": "1"})
    assert response.status_code == 404
    assert "This code cannot be used" in response.get_data(as_text=True)
    with app.app_context():
        answers = db.session.scalars(select(FeedbackResponse)).all()
        assert sorted(a.satisfaction for a in answers) == [3, 5]
        # answered by code, with no process in hand: its scheme and date are read for it
        process = db.session.get(RestorativeProcess, answers[0].process_id)
        assert {(a.scheme_id, a.occurred_on) for a in answers} == {
            (process.scheme_id, process.occurred_on)}
        assert {a.source for a in answers} == {"online"}
        # nothing that could say who answered: no account, no code, no time of day (the
        # process's own scheme and date are copied on for the figures)
        columns = set(inspect(FeedbackResponse).columns.keys())
        assert columns == {"id", "process_id", "scheme_id", "occurred_on", "satisfaction",
                           "recommend", "comment", "source", "received_on"}
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "process.feedback_received")).all()
        assert [e.actor_id for e in events] == [None, None]


def test_a_code_typed_on_the_public_page_leads_to_the_questionnaire(app, team):
    client, _record = log_conference(app, team)
    code = _make_code(client, _process_id(app))
    public = app.test_client()
    response = public.post("/feedback/", data={"code": code.lower().replace("-", " ")})
    assert response.status_code == 302
    response = public.post("/feedback/", data={"code": "NOPE-NOPE-NOPE"})
    assert "This code is not known or has been used" in response.get_data(as_text=True)


def test_paper_answers_need_consent_and_a_facilitator(app, team):
    client, _record = log_conference(app, team, co_facilitator=team.colleague.id)
    process_id = _process_id(app)
    response = client.post(f"/processes/{process_id}/feedback/paper", data={
        "satisfaction": "4", "recommend": "unsure"})
    assert "Enter only answers given with consent." in response.get_data(as_text=True)
    response = client.post(f"/processes/{process_id}/feedback/paper", data={
        "consent": "y", "satisfaction": "4", "recommend": "unsure"})
    assert response.status_code == 302
    # a colleague who has not confirmed their part, and the scheme lead, cannot enter any
    for person in (team.colleague, team.scheme_lead):
        assert login_as(app, person).post(f"/processes/{process_id}/feedback/paper", data={
            "consent": "y", "satisfaction": "1"}).status_code == 403
    with app.app_context():
        assert db.session.scalars(select(FeedbackResponse.source)).all() == ["paper"]


def test_the_public_feedback_page_is_rate_limited(app, team):
    public = app.test_client()
    statuses = [public.post("/feedback/", data={"code": "ABCD-EFGH-JKLM"}).status_code
                for _n in range(12)]
    assert 429 in statuses


def test_feedback_comments_are_removed_after_the_retention_period(app, team, runner):
    from datetime import timedelta

    from lms import clock
    from lms.privacy.retention import REMOVED

    client, _record = log_conference(app, team)
    process_id = _process_id(app)
    for comment in ("Old comment.", "New comment."):
        client.post(f"/processes/{process_id}/feedback/paper", data={
            "consent": "y", "satisfaction": "4", "recommend": "yes", "comment": comment})
    with app.app_context():
        old = db.session.scalar(select(FeedbackResponse).where(
            FeedbackResponse.comment == "Old comment."))
        old.received_on = clock.today() - timedelta(days=365 * 7)
        db.session.commit()
    assert runner.invoke(args=["privacy", "sweep"]).exit_code == 0
    with app.app_context():
        rows = db.session.execute(select(FeedbackResponse.comment,
                                         FeedbackResponse.satisfaction)
                                  .order_by(FeedbackResponse.id)).all()
    assert [tuple(r) for r in rows] == [(REMOVED, 4), ("New comment.", 4)]


def test_the_process_page_shows_its_outcomes_take_up_and_feedback(app, team):
    client, _record = log_conference(app, team)
    process_id = _process_id(app)
    client.post(f"/processes/{process_id}/outcomes", data={"agreement_reached": "yes",
                                                            "items_agreed": "3",
                                                            "items_completed": "2"})
    client.post(f"/processes/{process_id}/take-up", data=_take_up(COUNTS, COUNTS))
    client.post(f"/processes/{process_id}/feedback/paper", data={"consent": "y",
                                                                 "satisfaction": "5"})
    page = client.get(f"/processes/{process_id}").get_data(as_text=True)
    assert "An outcome agreement was reached</dt><dd>Yes" in page
    assert "2 of 3" in page
    assert _row_cells(page, "Offered a restorative process") == ["4", "4"]
    assert "1 anonymous answer received." in page


def _row_cells(html, label):
    found = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', html)
    assert found, html[-3000:]
    return re.findall(r"<td>(.*?)</td>", found.group(1))
