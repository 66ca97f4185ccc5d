"""The postcode lottery: accredited practitioners per 100,000 people in every police force
area, as an accessible map, the same figures in a table and as CSV."""

import csv
import io
import re

from sqlalchemy import select

from lms.areas.reference import force_areas
from lms.auth.models import User
from lms.extensions import db
from lms.reports.coverage import per_100k, rate_text
from lms.reports.tilemap import bands, fill_for, tile_map_svg
from tests.helpers import login_as
from tests.reports.test_areas_viewers import grant, place

MAP = "/reports/areas/coverage"


def _national(app, make_user):
    viewer = make_user()
    grant(app, viewer, "national")
    return login_as(app, viewer)


def _table(page):
    """{area code: (count, rate)} from the coverage table."""
    rows = re.findall(r'<tr data-code="(\w+)"><th scope="row">[^<]+</th>'
                      r'<td class="num">[\d,]+</td>\s*<td class="num">(\d+)</td>'
                      r'<td class="num">([\d.,]+)</td>', page)
    return {code: (int(count), rate) for code, count, rate in rows}


def test_the_map_is_an_image_with_a_title_and_a_description(app, known_scheme, make_user):
    place(app, known_scheme.a, "W15000003")
    page = _national(app, make_user).get(MAP).get_data(as_text=True)
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-labelledby="coverage-map-title coverage-map-desc"' in svg
    assert ('<title id="coverage-map-title">Accredited practitioners per 100,000 people, by '
            'police force area</title>') in svg
    assert '<desc id="coverage-map-desc">' in svg
    assert "43 areas are shown; 42 of them have none." in svg
    assert svg.count('<g class="tile"') == 43
    assert "Per 100,000 people" in svg  # the legend
    # every square says its figure in text, not only in colour
    assert re.search(r'data-code="W15000003"><title>South Wales: 0.15 per 100,000 people'
                     r'</title>.*?>SWP</text>.*?>0.15</text>', svg)


def test_table_and_csv_give_the_same_figures_as_the_map(app, known_scheme, make_user):
    place(app, known_scheme.a, "W15000003")  # p1 active, p2 expiring: 2 accredited
    place(app, known_scheme.b, "E23000001")  # outsider expiring: 1
    client = _national(app, make_user)
    table = _table(client.get(MAP).get_data(as_text=True))
    assert len(table) == 43
    assert table["W15000003"] == (2, rate_text(per_100k(2, 1_354_423)))  # mid-2023
    assert table["E23000001"] == (1, "0.01")
    assert table["E23000002"] == (0, "0.00")
    response = client.get(MAP + ".csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 43
    for row in rows:
        count, rate = table[row["code"]]
        assert int(row["accredited"]) == count
        assert row["accredited_per_100000"] == rate
        assert int(row["population"]) == force_areas()[row["code"]].population
        assert row["population_year"] == "2023"


def test_areas_without_an_accredited_practitioner_are_listed(app, known_scheme, make_user):
    place(app, known_scheme.a, "W15000003")
    page = _national(app, make_user).get(MAP).get_data(as_text=True)
    listed = page[page.index('id="without"'):page.index('id="table"')]
    assert "Cumbria" in listed
    assert "Dyfed-Powys" in listed
    assert "South Wales" not in listed
    assert listed.count("<li>") == 42


def test_an_area_viewer_sees_their_area_and_the_rest_greyed(app, known_scheme, make_user):
    place(app, known_scheme.a, "W15000003")
    place(app, known_scheme.b, "E23000001")
    viewer = make_user()
    grant(app, viewer, "area", force_code="W15000003")
    page = login_as(app, viewer).get(MAP).get_data(as_text=True)
    assert set(_table(page)) == {"W15000003"}
    assert "Metropolitan Police: not in your view" in page
    assert "Not in your view" in page  # legend entry


def test_the_definition_is_shown_next_to_the_figure(app, make_user):
    page = _national(app, make_user).get(MAP).get_data(as_text=True)
    assert "Definition:" in page
    assert "ONS mid-2023 estimate" in page


def test_welsh_forces_take_their_welsh_names_in_welsh(app, make_user):
    client = _national(app, make_user)
    assert "Heddlu Dyfed-Powys" not in client.get(MAP).get_data(as_text=True)
    with app.app_context():
        for user in db.session.scalars(select(User)):
            user.preferred_language = "cy"
        db.session.commit()
    page = client.get(MAP).get_data(as_text=True)
    assert "Heddlu Dyfed-Powys" in page
    assert "<title>Heddlu Dyfed-Powys: " in page  # the squares' tooltips too


def test_colour_bands_and_legend():
    step, legend = bands([0.0, 0.4, 1.9, 3.2])
    assert step == 1
    assert [band.label for band in legend] == ["None", "0 to 1", "1 to 2", "2 to 3", "3 to 4"]
    assert fill_for(0, step) == "#ffffff"
    assert fill_for(0.01, step) == legend[1].fill
    assert fill_for(3.2, step) == legend[4].fill


def test_tile_map_escapes_text_and_marks_areas_outside_the_view(app):
    with app.test_request_context():
        svg = str(tile_map_svg(list(force_areas().values()), {"W15000003": 1.5},
                               title="<Title>", description="A & B", id_prefix="m"))
    assert "<title id=\"m-title\">&lt;Title&gt;</title>" in svg
    assert "<desc id=\"m-desc\">A &amp; B</desc>" in svg
    assert svg.count("not in your view") == 42
