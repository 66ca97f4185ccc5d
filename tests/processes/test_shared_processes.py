"""One process, several practitioners: logged once, each co-facilitator credited by
confirming their own part, counted once."""

import re
from datetime import date

from sqlalchemy import func, select

from lms.extensions import db
from lms.practice.models import PracticeRecord
from lms.processes.figures import process_figures
from lms.processes.models import ProcessParticipant, RestorativeProcess
from tests.helpers import login_as
from tests.processes.conftest import log_conference


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _part(app, user):
    with app.app_context():
        return db.session.scalar(select(ProcessParticipant).where(
            ProcessParticipant.user_id == user.id))


def test_the_co_facilitator_is_chosen_from_the_scheme_not_typed(app, team):
    page = login_as(app, team.lead_practitioner).get("/practice/new").get_data(as_text=True)
    select_html = page.split('name="co_facilitator"')[1].split("</select>")[0]
    assert team.colleague.display_name in select_html
    assert team.volunteer.display_name in select_html
    assert team.outsider.display_name not in select_html
    assert 'name="co_facilitator_username"' not in page


def test_someone_from_another_scheme_cannot_be_named(app, team):
    client = login_as(app, team.lead_practitioner)
    response = client.post("/practice/new", data={
        **_conference(team), "co_facilitator": team.outsider.id})
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert _count(app, RestorativeProcess) == 0


def _conference(team):
    from tests.processes.conftest import CONFERENCE
    return {**CONFERENCE, "scheme": team.scheme.id}


def test_a_co_facilitator_confirms_their_part_and_gets_their_own_record(app, team):
    _client, _record_id = log_conference(app, team, co_facilitator=team.colleague.id)
    assert _count(app, RestorativeProcess) == 1
    part = _part(app, team.colleague)
    assert part.confirmed_at is None
    assert part.role == "co_facilitator"
    colleague = login_as(app, team.colleague)
    home = colleague.get("/").get_data(as_text=True)
    assert "1 process to confirm your part in" in home
    log = colleague.get("/practice/").get_data(as_text=True)
    assert "Processes waiting for you to confirm your part" in log
    response = colleague.post(f"/processes/parts/{part.id}/confirm")
    assert response.status_code == 302
    assert "/edit" in response.headers["Location"]
    with app.app_context():
        process = db.session.scalar(select(RestorativeProcess))
        records = db.session.scalars(select(PracticeRecord).order_by(PracticeRecord.id)).all()
        assert [r.process_id for r in records] == [process.id, process.id]
        mine = records[1]
        assert mine.author_id == team.colleague.id
        assert mine.practitioner_role == "co_facilitator"
        assert (mine.status, mine.stages, mine.reflection) == ("draft", [], "")
        # the facts come from the process: nothing is logged a second time
        assert (mine.sector, mine.process_type, mine.occurred_on) == (
            "housing", "formal_conference", date(2026, 10, 14))
        assert db.session.get(ProcessParticipant, part.id).confirmed_at is not None
    assert _count(app, RestorativeProcess) == 1
    # their edit page asks only for their own account
    page = colleague.get(f"/practice/{mine.id}/edit").get_data(as_text=True)
    assert 'name="reflection"' in page
    assert 'name="process_type"' not in page
    # submitting before writing it is refused
    colleague.post(f"/practice/{mine.id}/submit")
    with app.app_context():
        assert db.session.get(PracticeRecord, mine.id).status == "draft"
    response = colleague.post(f"/practice/{mine.id}/edit", data={
        "stages": ["co_working"], "reflection": "Shared the opening; agreed roles beforehand."})
    assert response.status_code == 302
    colleague.post(f"/practice/{mine.id}/submit")
    with app.app_context():
        assert db.session.get(PracticeRecord, mine.id).status == "submitted"


def test_a_volunteer_without_email_confirms_the_same_way(app, team):
    log_conference(app, team, co_facilitator=team.volunteer.id)
    part = _part(app, team.volunteer)
    volunteer = login_as(app, team.volunteer)
    assert volunteer.post(f"/processes/parts/{part.id}/confirm").status_code == 302
    with app.app_context():
        assert db.session.get(ProcessParticipant, part.id).confirmed_at is not None
        assert db.session.scalar(select(func.count()).select_from(PracticeRecord).where(
            PracticeRecord.author_id == team.volunteer.id)) == 1


def test_nobody_confirms_for_someone_else(app, team):
    _client, _record = log_conference(app, team, co_facilitator=team.colleague.id)
    part = _part(app, team.colleague)
    # not the one who logged it, nor a lead of the scheme, nor a bystander
    for person in (team.lead_practitioner, team.scheme_lead, team.bystander):
        other = login_as(app, person)
        assert other.post(f"/processes/parts/{part.id}/confirm").status_code == 404
        assert other.post(f"/processes/parts/{part.id}/decline").status_code == 404
    assert _part(app, team.colleague).confirmed_at is None
    assert _count(app, PracticeRecord) == 1
    colleague = login_as(app, team.colleague)
    colleague.post(f"/processes/parts/{part.id}/confirm")
    # a second confirmation stores nothing more
    colleague.post(f"/processes/parts/{part.id}/confirm")
    assert _count(app, PracticeRecord) == 2


def test_declining_removes_the_invitation(app, team):
    log_conference(app, team, co_facilitator=team.colleague.id)
    part = _part(app, team.colleague)
    colleague = login_as(app, team.colleague)
    assert colleague.post(f"/processes/parts/{part.id}/decline").status_code == 302
    assert _part(app, team.colleague) is None
    assert "confirm your part" not in colleague.get("/").get_data(as_text=True)


def test_a_participant_invites_another_from_the_process_page(app, team):
    client, _record = log_conference(app, team)
    with app.app_context():
        process_id = db.session.scalar(select(RestorativeProcess.id))
    page = client.get(f"/processes/{process_id}").get_data(as_text=True)
    assert "Ask a colleague to confirm their part" in page
    response = client.post(f"/processes/{process_id}/invite", data={
        "person": team.volunteer.id, "role": "observer"})
    assert response.status_code == 302
    assert _part(app, team.volunteer).role == "observer"
    # the outsider is not offered and is refused
    client.post(f"/processes/{process_id}/invite", data={
        "person": team.outsider.id, "role": "observer"})
    assert _part(app, team.outsider) is None
    # someone who is not (yet) confirmed in it cannot invite
    volunteer = login_as(app, team.volunteer)
    volunteer.post(f"/processes/{process_id}/invite", data={
        "person": team.bystander.id, "role": "observer"})
    assert _part(app, team.bystander) is None


def test_a_co_facilitated_process_counts_once(app, team):
    log_conference(app, team, co_facilitator=team.colleague.id)
    colleague = login_as(app, team.colleague)
    colleague.post(f"/processes/parts/{_part(app, team.colleague).id}/confirm")
    assert _count(app, PracticeRecord) == 2
    with app.test_request_context():
        figures = process_figures({team.scheme.id}, date(2026, 10, 1), date(2026, 10, 31))
    assert figures.total == 1
    assert figures.by_type == {"formal_conference": 1}
    assert figures.by_setting == {"housing": 1}
    assert figures.by_involvement == {"neighbours": 1}
    assert figures.by_harm == {"neighbour_nuisance": 1, "noise": 1}
    assert figures.co_facilitated == 1
    # the scheme lead's dashboard shows it once too
    lead = login_as(app, team.scheme_lead)
    page = lead.get(f"/reports/schemes/{team.scheme.slug}?start=2026-10-01&end=2026-10-31")
    html = page.get_data(as_text=True)
    table = html.split('id="pf-type"')[1].split("</table>")[0]
    assert re.search(r"Formal restorative conference</th><td>1</td>", table)
    assert "1 process;" in html


def test_a_pending_invitation_is_not_counted_as_co_facilitation(app, team):
    log_conference(app, team, co_facilitator=team.colleague.id)
    with app.test_request_context():
        figures = process_figures(None, date(2026, 10, 1), date(2026, 10, 31))
    assert (figures.total, figures.co_facilitated) == (1, 0)


def test_a_co_facilitator_cannot_sign_off_a_process_they_confirmed(app, team, recognise):
    recognise(team.supervisor)
    client, record_id = log_conference(app, team)
    with app.app_context():
        process_id = db.session.scalar(select(RestorativeProcess.id))
    client.post(f"/processes/{process_id}/invite", data={"person": team.supervisor.id,
                                                          "role": "co_facilitator"})
    login_as(app, team.supervisor).post(
        f"/processes/parts/{_part(app, team.supervisor).id}/confirm")
    client.post(f"/practice/{record_id}/submit")
    page = client.get(f"/practice/{record_id}").get_data(as_text=True)
    assert "There is no recognised supervisor in this scheme who can assess" in page


def test_who_may_see_a_process(app, team):
    log_conference(app, team, co_facilitator=team.colleague.id)
    with app.app_context():
        process_id = db.session.scalar(select(RestorativeProcess.id))
    for person, status in [(team.lead_practitioner, 200), (team.colleague, 200),
                           (team.scheme_lead, 200), (team.supervisor, 200),
                           (team.bystander, 404), (team.outsider, 404)]:
        assert login_as(app, person).get(f"/processes/{process_id}").status_code == status, \
            person
    # seeing is not managing: leads, supervisors and the not-yet-confirmed cannot record
    for person in (team.scheme_lead, team.supervisor, team.colleague):
        assert login_as(app, person).get(
            f"/processes/{process_id}/outcomes").status_code == 403
        assert login_as(app, person).post(f"/processes/{process_id}/take-up").status_code \
            == 403


def test_the_process_page_costs_a_fixed_number_of_queries(app, team, count_queries):
    client, _record = log_conference(app, team, co_facilitator=team.colleague.id)
    with app.app_context():
        process_id = db.session.scalar(select(RestorativeProcess.id))

    def measure():
        with count_queries() as counter:
            assert client.get(f"/processes/{process_id}").status_code == 200
        return counter.count

    small = measure()
    for person in (team.volunteer, team.bystander, team.supervisor):
        client.post(f"/processes/{process_id}/invite", data={"person": person.id,
                                                              "role": "observer"})
    assert measure() == small


def test_a_practice_record_page_costs_the_same_queries_however_many_took_part(
        app, team, count_queries):
    client, record_id = log_conference(app, team, co_facilitator=team.colleague.id)

    def measure():
        with count_queries() as counter:
            page = client.get(f"/practice/{record_id}")
        assert page.status_code == 200
        return counter.count, page.get_data(as_text=True)

    small, page = measure()
    assert "not yet confirmed" in page
    with app.app_context():
        process_id = db.session.scalar(select(RestorativeProcess.id))
    for person in (team.volunteer, team.bystander):
        client.post(f"/processes/{process_id}/invite", data={"person": person.id,
                                                              "role": "observer"})
    count, page = measure()
    assert team.bystander.display_name in page
    assert count == small


def test_a_co_facilitator_id_too_large_for_the_database_is_told_not_looked_up(app, team):
    """PostgreSQL refuses an integer over 2**31 - 1 in a query: the form stops it first."""
    from tests.processes.conftest import CONFERENCE

    client = login_as(app, team.lead_practitioner)
    response = client.post("/practice/new", data={**CONFERENCE, "scheme": team.scheme.id,
                                                  "co_facilitator": "99999999999999999999"})
    assert response.status_code == 200
    assert "That number is too large." in response.get_data(as_text=True)
    assert _count(app, RestorativeProcess) == 0


def test_a_scheme_id_too_large_for_the_database_is_told_not_looked_up(app, team):
    """The co-facilitator's check asks whether they belong to the chosen scheme: an unknown
    scheme (here one past PostgreSQL's integer range, found by the fuzz test) is refused by
    its own field and never reaches that query."""
    from tests.processes.conftest import CONFERENCE

    client = login_as(app, team.lead_practitioner)
    response = client.post("/practice/new", data={**CONFERENCE,
                                                  "scheme": "99999999999999999999",
                                                  "co_facilitator": team.colleague.id})
    assert response.status_code == 200
    assert "That number is too large." in response.get_data(as_text=True)
    assert _count(app, RestorativeProcess) == 0


def test_a_process_rows_carry_its_scheme_and_date_and_follow_it(app, team, count_queries):
    """Harms, participants, outcomes, take-up and feedback carry their process's scheme
    and date for the figures: filled when stored, moved when the process moves."""
    from lms.processes.models import ProcessHarm

    with count_queries() as counter:
        log_conference(app, team, co_facilitator=team.colleague.id)
    # taken from the process in the session, not read back once per row
    assert not [s for s in counter.statements
                if "restorative_processes.scheme_id, restorative_processes.occurred_on" in s]
    with app.app_context():
        process = db.session.scalar(select(RestorativeProcess))
        rows = [*db.session.scalars(select(ProcessHarm)),
                *db.session.scalars(select(ProcessParticipant))]
        assert len(rows) == 4
        assert {(r.scheme_id, r.occurred_on) for r in rows} == {
            (team.scheme.id, process.occurred_on)}
        process.occurred_on = date(2026, 9, 15)
        db.session.commit()
        moved = {(r.scheme_id, r.occurred_on) for r in [
            *db.session.scalars(select(ProcessHarm)),
            *db.session.scalars(select(ProcessParticipant))]}
    assert moved == {(team.scheme.id, date(2026, 9, 15))}
    with app.test_request_context():
        october = process_figures({team.scheme.id}, date(2026, 10, 1), date(2026, 10, 31))
        september = process_figures({team.scheme.id}, date(2026, 9, 1), date(2026, 9, 30))
    assert (october.total, october.by_harm) == (0, {})
    assert september.by_harm == {"neighbour_nuisance": 1, "noise": 1}
