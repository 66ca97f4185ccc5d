"""The figures pages with nothing to count yet, and for a viewer whose scope is empty."""

from tests.helpers import login_as
from tests.reports.test_areas_viewers import grant


def test_pages_work_before_anything_is_recorded(app, make_user):
    client = login_as(app, make_user(is_admin=True))
    for url in ("/reports/areas/figures", "/reports/areas/figures?group=sector",
                "/reports/areas/coverage", "/reports/areas/accredited", "/areas/viewers"):
        assert client.get(url).status_code == 200, url
    page = client.get("/reports/areas/coverage").get_data(as_text=True)
    assert "43 areas are shown; 43 of them have none." in page
    assert "Nobody completed a course in this period." in client.get(
        "/reports/areas/figures").get_data(as_text=True)


def test_a_viewer_of_an_area_without_schemes_sees_their_area_empty(app, make_user):
    viewer = make_user()
    grant(app, viewer, "area", force_code="W15000004")
    page = login_as(app, viewer).get("/reports/areas/coverage").get_data(as_text=True)
    assert "1 area is shown; 1 of them has none." in page
    assert 'data-code="W15000004"><th scope="row">Dyfed-Powys' in page
    assert "Metropolitan Police: not in your view" in page


def test_a_bad_period_falls_back_to_the_default_with_an_error(app, make_user):
    client = login_as(app, make_user(is_admin=True))
    page = client.get("/reports/areas/figures?start=2026-05-01&end=2026-01-01").get_data(
        as_text=True)
    assert "The end of the period must be after its start." in page
