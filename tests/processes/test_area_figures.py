"""Processes in the figures across schemes and on the coverage map: a co-facilitated
process counts once in its area, per 100,000 people."""

import csv
import io
from datetime import date

from lms.areas.reference import force_areas
from lms.reports.coverage import per_100k
from tests.helpers import login_as
from tests.processes.test_shared_processes import _part
from tests.reports.test_areas_viewers import grant, place

PERIOD = "start=2026-10-01&end=2026-10-31"


def _co_facilitated_in_south_wales(app, team):
    from tests.processes.conftest import log_conference

    place(app, team.scheme, "W15000003")
    log_conference(app, team, co_facilitator=team.colleague.id)
    login_as(app, team.colleague).post(
        f"/processes/parts/{_part(app, team.colleague).id}/confirm")


def test_the_coverage_csv_counts_a_co_facilitated_process_once_in_its_area(app, team,
                                                                            make_user):
    _co_facilitated_in_south_wales(app, team)
    viewer = make_user()
    grant(app, viewer, "national")
    text = login_as(app, viewer).get(f"/reports/areas/coverage.csv?{PERIOD}").get_data(
        as_text=True)
    rows = {row[0]: row for row in csv.reader(io.StringIO(text))}
    header = rows.pop(next(iter(rows)))
    south_wales = rows["W15000003"]
    processes = header.index("processes")
    assert south_wales[processes] == "1"
    population = force_areas()["W15000003"].population
    assert south_wales[header.index("processes_per_100000")] == f"{per_100k(1, population):.2f}"
    assert rows["E23000001"][processes] == "0"  # the Met: none


def test_the_figures_page_shows_processes_by_scheme_and_by_type(app, team, make_user):
    _co_facilitated_in_south_wales(app, team)
    viewer = make_user()
    grant(app, viewer, "national")
    page = login_as(app, viewer).get(f"/reports/areas/figures?{PERIOD}&group=scheme")
    html = page.get_data(as_text=True)
    assert 'id="pf-type"' in html
    assert "1 process;" in html
    row = html.split('<th scope="row">Greenway Test</th>')[1].split("</tr>")[0]
    # trained, processes, accredited: the co-facilitated conference once
    assert row.count('<td class="num">') == 3
    assert row.split('<td class="num">')[2].startswith("1<")


def test_the_delivery_charts_count_a_co_facilitated_process_once(app, team):
    from lms.extensions import db
    from lms.practice.models import PracticeRecord, PracticeStatus
    from lms.reports.delivery import Period, delivery
    from lms.reports.figures import Scope

    _co_facilitated_in_south_wales(app, team)
    with app.app_context():
        records = db.session.scalars(db.select(PracticeRecord)).all()
        assert len(records) == 2  # one record per practitioner, one process
        for record in records:
            record.status = PracticeStatus.SIGNED_OFF
        db.session.commit()
    with app.test_request_context():
        figures = delivery(Scope(frozenset({team.scheme.id})),
                           Period(date(2026, 10, 1), date(2026, 10, 31)))
    assert figures.total == 1
    assert figures.by_type == {("formal_conference", True): 1}
