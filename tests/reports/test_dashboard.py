import csv
import io
from datetime import timedelta

from sqlalchemy import func, select

from lms import clock
from lms.extensions import db
from lms.learning.models import Enrolment
from lms.notify.models import Notification
from lms.reports import figures
from lms.reports.delivery import Period, delivery
from lms.reports.figures import Scope
from tests.helpers import login_as


def _csv(response):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_figures_match_the_known_data(app, known_scheme):
    k = known_scheme
    scope = Scope(frozenset({k.a.id}))
    with app.app_context():
        by_level = figures.accredited_by_level_and_status(scope)
        assert by_level == {("foundation", "active"): 1, ("foundation", "expiring"): 1,
                            ("intermediate", "lapsed"): 1}
        assert figures.count_of(figures.expiring_query(scope)) == 1
        overdue = db.session.execute(figures.supervision_overdue_query(scope)).all()
        assert [user.username for user, _last in overdue] == ["p2", "p3"]
        assert figures.count_of(figures.awaiting_sign_off_query(scope)) == 1
        assert figures.count_of(figures.applications_query(scope)) == 1
        [row] = figures.training_pipeline(scope)
        assert (row.course, row.enrolled, row.not_started, row.in_progress, row.completed) == \
            ("Course X", 3, 1, 1, 1)
        today = clock.today()
        figures_ = delivery(scope, Period(today - timedelta(days=365), today))
        assert figures_.total == 5
        assert figures_.by_type == {("formal_conference", True): 3, ("indirect", False): 1,
                                    ("informal_meeting", True): 1}
        assert figures_.by_harm == {"violence": 2, "debt": 1, "bullying": 2}
        assert sum(figures_.by_month.values()) == 5


def test_dashboard_page_shows_the_figures(app, known_scheme):
    page = login_as(app, known_scheme.lead).get("/reports/schemes/scheme-a").get_data(as_text=True)
    # each tile links to the list it counts, further down the page
    assert ('<a class="tile-link" href="#expiring"><span class="tile-count">1</span> '
            '<span class="tile-text">accreditation expires in the next 90 days') in page
    assert ('<a class="tile-link" href="#supervision-overdue"><span class="tile-count">2</span> '
            '<span class="tile-text">practitioners overdue for supervision') in page
    assert '<h2 id="expiring">' in page
    assert '<h2 id="supervision-overdue">' in page
    assert "Outsider" not in page
    assert "5 processes from" in page
    assert "<svg" in page
    assert "Processes by harm" in page


def test_exports_are_csv_scoped_and_neutralised(app, known_scheme):
    lead = login_as(app, known_scheme.lead)
    rows = _csv(lead.get("/reports/schemes/scheme-a/export/expiring.csv"))
    assert rows[0] == ["identifier", "name", "level", "status", "expires"]
    assert [r[1] for r in rows[1:]] == ["Bravo Birch"]
    rows = _csv(lead.get("/reports/schemes/scheme-a/export/supervision-overdue.csv"))
    assert [r[1] for r in rows[1:]] == ["p2", "p3"]
    rows = _csv(lead.get("/reports/schemes/scheme-a/export/pipeline.csv"))
    assert rows[1] == ["Course X", "3", "1", "1", "1"]
    rows = _csv(lead.get("/reports/schemes/scheme-a/export/accredited.csv"))
    by_name = {r[0]: r for r in rows[1:]}
    assert {"Alpha Ash", "Bravo Birch", "Charlie Cedar"} <= set(by_name)
    assert by_name["Bravo Birch"][3] == "expiring"
    assert by_name["Charlie Cedar"][3] == "not accredited"
    assert all("Outsider" not in ",".join(r) for r in rows)
    delivery_rows = _csv(lead.get("/reports/schemes/scheme-a/export/delivery.csv"))
    assert ["harm", "Violence", "2", ""] in delivery_rows
    assert lead.get("/reports/schemes/scheme-a/export/nonsense.csv").status_code == 404


def test_the_accredited_export_reads_people_as_rows_of_three_columns(app, known_scheme,
                                                                     count_queries):
    lead = login_as(app, known_scheme.lead)
    with count_queries() as counter:
        rows = _csv(lead.get("/reports/schemes/scheme-a/export/accredited.csv"))
    by_name = {r[0]: r for r in rows[1:]}
    # name, username, level, status, expires, next level and its requirements met
    assert by_name["Charlie Cedar"][5:] == ["Foundation practitioner", "1/4"]
    assert by_name["Alpha Ash"][1] == "p1"
    [people] = [s for s in counter.statements
                if "ORDER BY users.display_name, users.id" in s]
    # each person as the three columns written, not a whole account (password hash too)
    assert "password_hash" not in people
    assert "users.username" in people


def test_other_leads_and_trainees_cannot_see_a_scheme(app, known_scheme, make_user):
    other_lead = login_as(app, make_user(role="lead", scheme=known_scheme.b))
    assert other_lead.get("/reports/schemes/scheme-a").status_code == 404
    assert other_lead.get("/reports/schemes/scheme-a/export/expiring.csv").status_code == 404
    assert other_lead.get("/reports/schemes/scheme-a/practitioners").status_code == 404
    rows = _csv(other_lead.get("/reports/schemes/scheme-b/export/expiring.csv"))
    assert [r[1] for r in rows[1:]] == ["Outsider"]
    trainee = login_as(app, known_scheme.p1)
    assert trainee.get("/reports/schemes/scheme-a").status_code == 403
    assert login_as(app, known_scheme.lead).get("/reports/admin").status_code == 403


def test_who_is_accredited_list_and_filters(app, known_scheme):
    lead = login_as(app, known_scheme.lead)
    page = lead.get("/reports/schemes/scheme-a/practitioners").get_data(as_text=True)
    assert "Alpha Ash" in page
    assert "Outsider" not in page
    for status, names in [("accredited", {"Alpha Ash", "Bravo Birch"}),
                          ("expiring", {"Bravo Birch"}), ("lapsed", {"Charlie Cedar"})]:
        text = lead.get("/reports/schemes/scheme-a/practitioners",
                        query_string={"status": status}).get_data(as_text=True)
        shown = {n for n in ("Alpha Ash", "Bravo Birch", "Charlie Cedar") if n in text}
        assert shown == names, status


def test_admin_view_by_scheme_and_sector(app, known_scheme, make_user):
    page = login_as(app, make_user(is_admin=True)).get("/reports/admin").get_data(as_text=True)
    assert "Scheme A" in page
    assert "Scheme B" in page
    assert ">prison<" in page
    assert ('<p class="tile-count">2</p><p>accreditations expire in the next 90 days'
            in page)
    assert ('<a class="tile-link" href="/accreditation/applications/">'
            '<span class="tile-count">') in page


def test_bulk_reminder_and_enrolment_preview_then_act(app, known_scheme):
    k = known_scheme
    lead = login_as(app, k.lead)
    chosen = {"user": [str(k.p1.id), str(k.p2.id), str(k.outsider.id)]}
    page = lead.post("/reports/schemes/scheme-a/bulk",
                     data={**chosen, "action": "remind"}).get_data(as_text=True)
    assert "2 people selected" in page
    assert "Outsider" not in page
    lead.post("/reports/schemes/scheme-a/bulk/confirm",
              data={**chosen, "action": "remind", "message": "Please log your CPD."})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 2
    page = lead.post("/reports/schemes/scheme-a/bulk",
                     data={**chosen, "action": "enrol", "course": k.course_id}
                     ).get_data(as_text=True)
    assert "Already enrolled on this course." in page
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Enrolment))
    lead.post("/reports/schemes/scheme-a/bulk/confirm",
              data={**chosen, "action": "enrol", "course": k.course_id})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrolment)) == before


def test_counts_of_one_read_in_the_singular(app, known_scheme):
    """Every count goes through ngettext: one person, one practice record, one learner."""
    k = known_scheme
    lead = login_as(app, k.lead)
    page = lead.get("/reports/schemes/scheme-a").get_data(as_text=True)
    assert ('<span class="tile-count">1</span> '
            '<span class="tile-text">practice record waiting for sign-off') in page
    assert "practice records waiting" not in page
    page = lead.post("/reports/schemes/scheme-a/bulk",
                     data={"user": [str(k.p1.id)], "action": "remind"}).get_data(as_text=True)
    assert "1 person selected in Scheme A." in page
    assert "Send to 1 person</button>" in page
    page = lead.post("/reports/schemes/scheme-a/bulk/confirm",
                     data={"user": [str(k.p1.id)], "action": "remind"},
                     follow_redirects=True).get_data(as_text=True)
    assert "Reminder sent to 1 person." in page


def test_the_dashboard_dates_read_in_the_page_language(app, known_scheme):
    """Dates and month labels come in the page's language, the same words whichever
    language asked first (each is worked out once per day and language)."""
    import re
    from datetime import datetime

    from flask_babel import force_locale

    from lms.reports.dashboard import month_label
    from lms.templating import local_date

    client = login_as(app, known_scheme.lead)
    english = client.get("/reports/schemes/scheme-a").get_data(as_text=True)
    client.post("/language", data={"language": "cy", "next": "/"})
    welsh = client.get("/reports/schemes/scheme-a").get_data(as_text=True)
    shown = re.search(r"5 processes from (\d\d \w{3} \d{4}) to (\d\d \w{3} \d{4})\.", english)
    assert shown
    start, end = (datetime.strptime(text, "%d %b %Y").date() for text in shown.groups())
    with app.test_request_context():
        with force_locale("en"):
            assert month_label(2027, 3) == "Mar 2027"
            assert local_date(start) == shown.group(1)
        with force_locale("cy"):
            assert month_label(2027, 3) == "Maw 2027"
            assert month_label(2027, 1) == "Ion 2027"
            welsh_dates = local_date(start), local_date(end)
        with force_locale("en"):
            assert month_label(2027, 1) == "Jan 2027"
    assert all(day in welsh for day in welsh_dates)


def test_the_live_lists_are_built_once_and_bound_to_each_scheme(app, known_scheme, make_user):
    """One set of list statements serves every scheme's dashboard: each page shows its own
    scheme's people, whichever dashboard was shown first."""
    from lms.reports.dashboard import _live_lists

    k = known_scheme
    both = make_user("lead.both", roles=[(k.a, "lead"), (k.b, "lead")])
    client = login_as(app, both)
    pages = {slug: client.get(f"/reports/schemes/{slug}").get_data(as_text=True)
             for slug in ("scheme-b", "scheme-a", "scheme-b")}
    # Scheme A: Bravo Birch's record expires in 30 days; Scheme B: the outsider's in 20
    assert "Expiring in the next 90 days (1)" in pages["scheme-a"]
    assert "Bravo Birch</a>" in pages["scheme-a"]
    assert "Outsider" not in pages["scheme-a"]
    assert "Expiring in the next 90 days (1)" in pages["scheme-b"]
    assert "Outsider</a>" in pages["scheme-b"]
    assert "Bravo Birch" not in pages["scheme-b"]
    # A's waiting record and application are A's alone
    assert "Charlie Cedar" in pages["scheme-a"]
    assert "Charlie Cedar" not in pages["scheme-b"]
    assert _live_lists(figures.bound(Scope(frozenset({k.a.id})))) is \
        _live_lists(figures.bound(Scope(frozenset({k.b.id}))))
