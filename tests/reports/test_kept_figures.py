"""Dashboards' and figures pages' summaries are kept once computed (lms/reports/snapshots.py):
read back in one query, dropped when a record of the scheme changes, computed again when
older than the policy's age, and always shown with the time they were computed."""

import re
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms import clock, policy
from lms.extensions import db
from lms.processes.figures import ProcessFigures
from lms.reports import snapshots
from lms.reports.delivery import DeliveryFigures, Period
from lms.reports.models import FigureSnapshot, FigureVersion
from tests.helpers import login_as
from tests.processes.conftest import INSTANT
from tests.processes.conftest import team as team  # a fixture, used by name
from tests.reports.conftest import practice


def _kept(app):
    with app.app_context():
        return db.session.execute(select(FigureSnapshot.kind, FigureSnapshot.scheme_id,
                                         FigureSnapshot.locale)).all()


def _processes_delivered(page: str) -> int:
    return int(re.search(r"(\d+) process(?:es)? from ", page).group(1))


def test_a_dashboard_reads_its_figures_back_in_one_query_and_says_when_they_were_computed(
        app, known_scheme, count_queries):
    lead = login_as(app, known_scheme.lead)
    with count_queries() as computing:
        first = lead.get("/reports/schemes/scheme-a").get_data(as_text=True)
    with count_queries() as reading:
        again = lead.get("/reports/schemes/scheme-a").get_data(as_text=True)
    # the four summaries (ten aggregate queries), the overdue list and storing them
    assert reading.count == computing.count - 11
    assert [s for s in reading.statements if "FROM restorative_processes" in s] == []
    assert _processes_delivered(first) == _processes_delivered(again) == 5
    assert "Tables and charts as of" in again
    assert "at least every 10 minutes" in again
    [(kind, scheme_id, locale)] = _kept(app)
    assert (kind, scheme_id, locale) == ("scheme-dashboard", known_scheme.a.id, "en")


def test_a_change_to_the_schemes_records_shows_on_its_dashboard_at_once(app, known_scheme):
    lead = login_as(app, known_scheme.lead)
    assert _processes_delivered(lead.get("/reports/schemes/scheme-a").get_data(as_text=True)) == 5
    with app.app_context():
        db.session.add(practice(known_scheme.p1, known_scheme.a, harm="theft"))
        db.session.commit()
    page = lead.get("/reports/schemes/scheme-a").get_data(as_text=True)
    assert _processes_delivered(page) == 6
    assert "Theft" in page


def test_a_supervision_confirmed_in_the_scheme_takes_its_practitioner_off_the_overdue_list(
        app, known_scheme):
    lead = login_as(app, known_scheme.lead)

    def overdue(page):
        return page.split('id="supervision-overdue"')[1].split("</table>")[0]

    assert "Bravo Birch" in overdue(lead.get("/reports/schemes/scheme-a").get_data(as_text=True))
    with app.app_context():
        from lms.practice.models import SupervisionSession
        db.session.add(SupervisionSession(
            supervisor_id=known_scheme.sup.id, practitioner_id=known_scheme.p2.id,
            scheme_id=known_scheme.a.id, held_on=clock.today(), duration_minutes=60,
            supervisor_confirmed_at=clock.utcnow(), practitioner_confirmed_at=clock.utcnow()))
        db.session.commit()
    page = lead.get("/reports/schemes/scheme-a").get_data(as_text=True)
    assert "Bravo Birch" not in overdue(page)
    assert "Charlie Cedar" in overdue(page)


def test_a_change_in_another_scheme_keeps_this_schemes_figures(app, known_scheme, make_user):
    lead = login_as(app, known_scheme.lead)
    lead.get("/reports/schemes/scheme-a")
    with app.app_context():
        db.session.add(practice(known_scheme.outsider, known_scheme.b))
        db.session.commit()
    assert [kind for kind, _s, _l in _kept(app)] == ["scheme-dashboard"]


def test_a_process_logged_through_the_form_drops_its_schemes_kept_figures(app, team):
    lead = login_as(app, team.scheme_lead)
    slug = team.scheme.slug
    lead.get(f"/reports/schemes/{slug}")
    assert len(_kept(app)) == 1
    practitioner = login_as(app, team.lead_practitioner)
    assert practitioner.post("/processes/instant", data={
        **INSTANT, "scheme": team.scheme.id}).status_code == 302
    with app.app_context():  # the scheme's figures are a version behind from that commit
        assert db.session.get(FigureVersion, team.scheme.id).version >= 1
        assert db.session.scalar(select(FigureSnapshot.scheme_version)) == 0
    page = lead.get(f"/reports/schemes/{slug}").get_data(as_text=True)
    assert "Instant resolution" in page or "instant" in page.lower()


def test_figures_across_schemes_are_kept_until_they_are_older_than_the_policy_says(
        app, known_scheme, make_user, monkeypatch):
    admin = login_as(app, make_user(is_admin=True))

    def processes_in_period(page):
        cells = page.split('<th scope="row">Scheme A</th>')[1].split("</tr>")[0]
        return int(re.findall(r"<td>(\d+)</td>", cells)[-1])

    before = admin.get("/reports/admin").get_data(as_text=True)
    assert "Figures as of" in before
    with app.app_context():
        db.session.add(practice(known_scheme.p1, known_scheme.a))
        from lms.processes.models import RestorativeProcess
        db.session.add(RestorativeProcess(
            scheme_id=known_scheme.a.id, case_code="RJ-KEPT-1", occurred_on=clock.today(),
            process_type="formal_conference", setting="prison", involvement="neighbours",
            direct=True, face_to_face=True, created_by_id=known_scheme.p1.id))
        db.session.commit()
    # across schemes: no scheme's change drops them; the page says how old they are
    kept = admin.get("/reports/admin").get_data(as_text=True)
    assert processes_in_period(kept) == processes_in_period(before)
    later = clock.utcnow() + timedelta(minutes=policy.reports("figures_max_age_minutes") + 1)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    fresh = admin.get("/reports/admin").get_data(as_text=True)
    assert processes_in_period(fresh) == processes_in_period(before) + 1


def test_each_language_keeps_its_own_figures(app, known_scheme):
    lead = login_as(app, known_scheme.lead)
    lead.get("/reports/schemes/scheme-a")
    with app.app_context():
        from lms.auth.models import User
        db.session.get(User, known_scheme.lead.id).preferred_language = "cy"
        db.session.commit()
    page = lead.get("/reports/schemes/scheme-a").get_data(as_text=True)
    assert sorted(locale for _k, _s, locale in _kept(app)) == ["cy", "en"]
    assert "Tablau a siartiau fel yr oeddent am" in page


def test_the_refresh_job_recomputes_what_was_viewed_and_drops_the_rest(
        app, known_scheme, make_user, runner, monkeypatch):
    admin = login_as(app, make_user(is_admin=True))
    admin.get("/reports/admin")
    admin.get("/reports/areas/figures")
    with app.app_context():
        old = db.session.scalar(select(func.min(FigureSnapshot.computed_at)))
        # a third, last viewed three days ago
        db.session.execute(FigureSnapshot.__table__.update()
                           .where(FigureSnapshot.kind == "area-figures")
                           .values(viewed_on=clock.today() - timedelta(days=3)))
        db.session.commit()
    later = clock.utcnow() + timedelta(minutes=6)  # past half the max age
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    result = runner.invoke(args=["reports", "refresh-figures"])
    assert result.exit_code == 0, result.output
    assert "figures recomputed: 1; dropped (not viewed): 1" in result.output
    with app.app_context():
        [(kind, computed_at)] = db.session.execute(
            select(FigureSnapshot.kind, FigureSnapshot.computed_at)).all()
    assert kind == "admin"
    assert computed_at > old


def test_the_refresh_job_drops_figures_this_version_no_longer_computes(
        app, make_user, runner, monkeypatch):
    admin = login_as(app, make_user(is_admin=True))
    admin.get("/reports/admin")
    with app.app_context():
        db.session.execute(FigureSnapshot.__table__.update().values(kind="retired-kind"))
        db.session.commit()
    later = clock.utcnow() + timedelta(minutes=6)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    result = runner.invoke(args=["reports", "refresh-figures"])
    assert result.exit_code == 0, result.output
    assert "figures recomputed: 0; dropped (not viewed): 0; dropped (no longer computed): 1" \
        in result.output
    assert _kept(app) == []


def test_figures_kept_by_a_version_with_another_shape_are_computed_again(app, known_scheme):
    lead = login_as(app, known_scheme.lead)
    lead.get("/reports/schemes/scheme-a")
    with app.app_context():
        row = db.session.scalar(select(FigureSnapshot))
        figures = dict(row.figures)
        del figures["overdue_count"]  # as an earlier version stored them
        row.figures = figures
        db.session.commit()
    response = lead.get("/reports/schemes/scheme-a")
    assert response.status_code == 200
    assert _processes_delivered(response.get_data(as_text=True)) == 5
    with app.app_context():
        assert "overdue_count" in db.session.scalar(select(FigureSnapshot)).figures


def test_kept_figures_come_back_as_they_were_stored():
    delivered = DeliveryFigures({("formal_conference", True): 2, ("indirect", False): 1},
                                {"violence": 2, "debt": 1}, {(2026, 10): 3}, 3)
    figures = ProcessFigures(
        start=date(2026, 1, 1), end=date(2026, 11, 30), total=3, by_type={"instant": 3},
        by_setting={"housing": 3}, by_involvement={None: 1, "neighbours": 2},
        by_harm={"noise": 3}, co_facilitated=1, outcomes={"agreement": {"yes": 2}},
        items_agreed=4, items_completed=3, funnel={"harmed": {"offered": 5}}, responses=2,
        satisfaction={5: 1, 4: 1}, recommend={"yes": 2})
    snapshots.storable(ProcessFigures)
    for value in (delivered, figures, Period(date(2026, 1, 1), date(2026, 3, 31)),
                  [("Foundation", 3)]):
        stored = snapshots.encode(value)
        import json
        assert snapshots.decode(json.loads(json.dumps(stored))) == value


def test_only_registered_kinds_of_figures_are_stored_or_rebuilt():
    from dataclasses import dataclass

    @dataclass
    class Unlisted:
        x: int

    with pytest.raises(TypeError):
        snapshots.encode(Unlisted(1))
    with pytest.raises(KeyError):
        snapshots.decode({"~": "Unlisted", "x": 1})


def test_the_coverage_map_keeps_its_counts_and_says_when(app, known_scheme, make_user,
                                                          count_queries):
    admin = login_as(app, make_user(is_admin=True))
    with count_queries() as computing:
        first = admin.get("/reports/areas/coverage").get_data(as_text=True)
    with count_queries() as reading:
        again = admin.get("/reports/areas/coverage").get_data(as_text=True)
    assert reading.count == computing.count - 3  # the two counts by area and storing them
    assert "Figures as of" in again
    assert first.split('<table')[1] == again.split('<table')[1]
    assert [kind for kind, _s, _l in _kept(app)] == ["coverage"]


def test_an_erased_persons_name_leaves_the_kept_overdue_list_at_once(app, known_scheme,
                                                                   make_user):
    from lms.auth.models import User
    from lms.privacy.erasure import erase
    lead = login_as(app, known_scheme.lead)
    assert "Bravo Birch" in lead.get("/reports/schemes/scheme-a").get_data(as_text=True)
    with app.app_context():
        admin = make_user(is_admin=True)
        erase(db.session.get(User, known_scheme.p2.id), actor=db.session.get(User, admin.id))
        db.session.commit()
    assert "Bravo Birch" not in lead.get("/reports/schemes/scheme-a").get_data(as_text=True)


def test_a_change_committed_while_figures_are_computed_leaves_them_stale(
        app, known_scheme, monkeypatch):
    from sqlalchemy.orm import Session as OrmSession

    from lms.reports.dashboard import scheme_figures
    compute = scheme_figures.compute

    def another_request():
        with app.app_context(), OrmSession(db.engine) as other:
            other.add(practice(known_scheme.p1, known_scheme.a, harm="theft"))
            other.commit()

    def compute_then_change(scope, period):
        figures = compute(scope, period)
        meanwhile = threading.Thread(target=another_request)  # commits while we compute
        meanwhile.start()
        meanwhile.join()
        return figures

    lead = login_as(app, known_scheme.lead)
    monkeypatch.setattr(scheme_figures, "compute", compute_then_change)
    assert _processes_delivered(lead.get("/reports/schemes/scheme-a").get_data(as_text=True)) == 5
    monkeypatch.setattr(scheme_figures, "compute", compute)
    # kept from before the change, so not read back: computed again with it
    assert _processes_delivered(lead.get("/reports/schemes/scheme-a").get_data(as_text=True)) == 6
