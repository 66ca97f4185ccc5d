"""End to end: the figures each programme publishes, from the demo site, as the scheme lead
sees them on the dashboard, and from process_figures() for other pages to call."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms import clock
from lms.extensions import db
from lms.processes.figures import process_figures
from lms.schemes.models import Scheme
from tests.helpers import login_as


@pytest.fixture
def demo(app, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        return {s.slug: s.id for s in db.session.scalars(select(Scheme))}


def _figures(app, scheme_id):
    with app.test_request_context():
        return process_figures({scheme_id}, clock.today() - timedelta(days=365), clock.today())


def _dashboard(app, slug, prefix):
    lead = login_as(app, type("U", (), {"username": f"{prefix}.lead",
                                        "password": "restorative-demo"}))
    start = (clock.today() - timedelta(days=365)).isoformat()
    response = lead.get(f"/reports/schemes/{slug}?start={start}&end={clock.today()}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _row(html, table_id, label):
    table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    found = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", table)
    assert found, (label, table[:2000])
    return re.findall(r"<td[^>]*>(.*?)</td>", found.group(1))


def test_prison_informal_and_formal_by_harm_and_co_facilitation(app, demo):
    f = _figures(app, demo["hmp-northfield"])
    assert f.total == 8
    assert (f.by_type["informal_meeting"], f.by_type["formal_conference"]) == (2, 4)
    assert f.by_harm == {"debt": 2, "robbery": 1, "verbal_altercation": 2, "violence": 3}
    assert f.co_facilitated == 3
    assert f.by_involvement["staff_prisoner"] == 1
    assert f.outcomes["returned_to_wing"] == {"yes": 1, "no": 1}
    html = _dashboard(app, "hmp-northfield", "prison")
    assert _row(html, "pf-type", "Informal restorative meeting") == ["2"]
    assert _row(html, "pf-harm", "Violence") == ["3"]
    assert "3 co-facilitated" in html
    assert _row(html, "pf-outcomes", "Returned to the wing after an adjudication")[:2] == [
        "1", "1"]


def test_school_conferences_and_pupils_continuing_in_education(app, demo):
    f = _figures(app, demo["riverside-schools"])
    assert f.by_type["formal_conference"] == 2
    assert f.outcomes["continued_in_education"] == {"yes": 1, "no": 1}
    html = _dashboard(app, "riverside-schools", "school")
    row = _row(html, "pf-outcomes",
               "The pupils involved continued their education in school")
    assert row == ["1", "1", "0", "50%"]


def test_housing_instant_resolutions_and_structured_processes(app, demo):
    f = _figures(app, demo["greenway-homes"])
    assert f.by_type == {"instant": 2, "formal_conference": 1}
    assert f.by_harm["neighbour_nuisance"] == 2
    assert f.by_involvement == {"neighbours": 3}
    html = _dashboard(app, "greenway-homes", "housing")
    assert _row(html, "pf-type", "Instant (on-the-spot) resolution") == ["2"]


def test_health_concerns_resolved_before_a_formal_complaint(app, demo):
    f = _figures(app, demo["st-cuthberts-health"])
    assert f.outcomes["resolved_without_complaint"] == {"yes": 1, "no": 1}
    assert f.recommend == {"yes": 1, "unsure": 1}
    html = _dashboard(app, "st-cuthberts-health", "health")
    assert _row(html, "pf-outcomes", "The concern was resolved without a formal complaint")[
        -1] == "50%"


def test_courts_take_up_satisfaction_and_reports_to_court(app, demo):
    f = _figures(app, demo["pre-sentence-rj"])
    assert f.funnel["harmed"] == {"offered": 16, "interested": 9, "met": 7, "took_part": 5,
                                  "declined_at_offer": 7, "declined_after_interest": 2,
                                  "declined_after_meeting": 2}
    assert f.funnel["responsible"]["took_part"] == 5
    assert f.outcomes["report_to_court"] == {"yes": 2}
    assert (f.responses, f.satisfied, f.satisfaction_answers) == (3, 2, 3)
    assert f.recommend == {"yes": 2, "unsure": 1}
    html = _dashboard(app, "pre-sentence-rj", "courts")
    assert _row(html, "pf-funnel", "Share of those offered who were interested") == [
        "56%", "88%"]
    assert _row(html, "pf-funnel", "Share of those who met a facilitator who took part") == [
        "71%", "83%"]
    assert _row(html, "pf-feedback", "Satisfied (top two points of the scale)") == [
        "2 of 3 (67%)"]
    assert _row(html, "pf-outcomes", "A report was provided to the court")[0] == "2"


def test_police_complaints_resolved_restoratively(app, demo):
    f = _figures(app, demo["valeshire-police"])
    assert f.by_involvement == {"complainant_police": 2}
    assert f.outcomes["complaint_local_resolution"] == {"yes": 1, "no": 1}
    html = _dashboard(app, "valeshire-police", "police")
    assert _row(html, "pf-outcomes", "The complaint was resolved restoratively, outside the "
                "formal process")[0] == "1"


def test_neighbourhood_panel_processes_and_take_up(app, demo):
    f = _figures(app, demo["eastgate-neighbourhood"])
    assert f.by_setting == {"neighbourhood": 2}
    assert f.funnel["harmed"]["offered"] == 3
    assert f.responses == 1
    html = _dashboard(app, "eastgate-neighbourhood", "neighbourhood")
    assert "A process is counted once however many practitioners took part in it." in html


def test_every_figure_has_its_definition_next_to_it(app, demo):
    html = _dashboard(app, "pre-sentence-rj", "courts")
    section = html.split('class="process-figures"')[1].split("</section>")[0]
    for table_id in ("pf-type", "pf-setting", "pf-involvement", "pf-harm", "pf-outcomes",
                     "pf-funnel", "pf-feedback"):
        caption = section.split(f'id="{table_id}"')[1].split("</caption>")[0]
        assert '<span class="hint">' in caption, table_id
    assert "took place from" in section


def test_all_schemes_together_count_each_process_once(app, demo):
    with app.test_request_context():
        everything = process_figures(None, clock.today() - timedelta(days=365), clock.today())
    parts = [_figures(app, scheme_id) for scheme_id in demo.values()]
    assert everything.total == sum(p.total for p in parts) == 24
    assert everything.co_facilitated == sum(p.co_facilitated for p in parts)


def test_process_figures_cost_the_same_queries_for_more_processes(app, demo, count_queries):
    ids = set(demo.values())

    def measure():
        with app.test_request_context(), count_queries() as counter:
            process_figures(ids, clock.today() - timedelta(days=365), clock.today())
        return counter.count

    small = measure()
    assert small <= 8
    assert login_as(app, type("U", (), {"username": "housing.officer1",
                                        "password": "restorative-demo"})).post(
        "/processes/instant", data={
            "scheme": demo["greenway-homes"], "occurred_on": clock.today().isoformat(),
            "setting": "housing", "involvement": "neighbours", "harm": "noise",
            "agreement_reached": "yes"}).status_code == 302
    assert measure() == small
