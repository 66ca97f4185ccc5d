"""The reference data shipped in lms/areas/data: complete, consistent and sourced."""

from lms.areas import reference
from lms.reports.coverage import per_100k, rate_text


def test_the_43_police_force_areas_of_england_and_wales():
    areas = reference.force_areas()
    assert len(areas) == 43
    assert sum(code.startswith("E23") for code in areas) == 39
    assert {code for code in areas if code.startswith("W15")} == {
        "W15000001", "W15000002", "W15000003", "W15000004"}
    assert areas["E23000001"].name == "Metropolitan Police"
    assert areas["W15000004"].name_cy == "Heddlu Dyfed-Powys"


def test_every_population_is_positive_and_dated():
    for area in reference.force_areas().values():
        assert area.population > 0, area.code
        assert area.population_year == 2023


def test_the_populations_add_up_to_the_ons_totals_for_england_and_wales():
    # ONS mid-2023 estimates (MYE2, released July 2024): the forces' sums of their local
    # authorities must give back the published country totals exactly.
    areas = reference.force_areas().values()
    assert sum(a.population for a in areas if not a.in_wales) == 57_690_323
    assert sum(a.population for a in areas if a.in_wales) == 3_164_404
    assert sum(a.population for a in areas) == 60_854_727
    assert reference.force_areas()["W15000003"].population == 1_354_423  # South Wales


def test_each_area_has_its_own_square_and_label_on_the_map():
    areas = reference.force_areas().values()
    assert len({(a.row, a.col) for a in areas}) == 43
    assert len({a.short for a in areas}) == 43
    assert all(0 < len(a.short) <= 4 for a in areas)


def test_every_local_authority_maps_to_a_force_and_every_force_has_one():
    areas = reference.force_areas()
    authorities = reference.local_authorities()
    assert all(la.force_code in areas for la in authorities.values())
    assert {la.force_code for la in authorities.values()} == set(areas)
    welsh = [la for la in authorities.values() if la.code.startswith("W06")]
    assert len(welsh) == 22
    assert all(la.name_cy for la in welsh)
    assert authorities["W06000015"].force_code == "W15000003"  # Cardiff, South Wales
    assert authorities["E09000001"].force_code == "E23000034"  # the City of London


def test_the_files_name_their_sources():
    for name in ("police_force_areas.csv", "local_authorities.csv"):
        header = (reference.DATA / name).read_text(encoding="utf-8")[:1500]
        assert "ons" in header.lower()
        assert "geoportal.statistics.gov.uk" in header


def test_rates_are_per_100000_people():
    assert per_100k(2, 1_340_000) == 2 * 100_000 / 1_340_000
    assert rate_text(per_100k(2, 1_340_000)) == "0.15"
    assert rate_text(per_100k(1, 8_860_000)) == "0.01"  # one person is never shown as none
    assert per_100k(0, 500_000) == 0
