"""Every state-changing endpoint writes an audit event.

The walk loads the demo site, then posts to every POST route in the URL map with data that
changes something, and fails for any that writes no audit event. A new POST route fails
until it is given a step here or, if it changes nothing, a line in NO_STATE_CHANGE. (The
audit guard, on in the test configuration, also fails any request in any test that
changes data without writing an event.)
"""

from datetime import timedelta

from sqlalchemy import func, select

from lms import clock
from lms.accreditation import applications
from lms.accreditation.evaluation_types import Evaluation
from lms.accreditation.models import AccreditationRecord, Application
from lms.areas.models import ViewerScope
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.learning.models import Course, LiveSession, Module
from lms.practice.models import CpdEntry, PracticeRecord, SupervisionSession
from lms.processes.models import ProcessParticipant, RestorativeProcess
from lms.schemes.models import Scheme
from tests.helpers import check_form

DEMO_PASSWORD = "restorative-demo"

#: POST routes (by URL rule, which outlives endpoint renames) that change no recorded
#: state, and why they need no audit event.
NO_STATE_CHANGE = {
    # Starts a signed-in session (auth_sessions, last_login_at) only. A sign-in with a
    # one-time password uses it up and is audited (tests/auth/test_one_time_passwords.py).
    "/login": "sign-in session only",
    "/logout": "ends the signed-in session only",
    "/notifications/read": "marks one's own notifications read",
    "/notifications/<int:notification_id>/read": "marks one of one's own notifications read",
    "/privacy/my-data.zip": "downloads one's own data; stores nothing",
    "/verify": "checks a pasted credential; stores nothing",
    "/api/v1/verify": "checks a posted credential; stores nothing",
    "/verify/bulk": "an employer's bulk check; stores nothing",
    "/people/import": "previews a CSV import; saves nothing",
    "/reports/schemes/<slug>/bulk": "previews a bulk action; saves nothing",
    "/training/enrol": "previews a bulk enrolment; saves nothing",
    "/feedback/": "checks a participant's feedback code and sends them on; stores nothing",
    "/admin/audit/verify": "checks the audit chain; stores nothing",
}

#: State-changing routes walked end to end by their own feature's tests instead of here. The
#: audit guard (AUDIT_ENFORCE, on for the whole suite) fails any of those requests that
#: changes data without writing an event, so they are held to the same rule.
WALKED_IN_FEATURE_TESTS = {
    "/accreditation/records/<public_id>/legal-name": "accreditation/test_decision_integrity.py",
    "/accreditation/insurance": "accreditation/test_insurance_and_cpd_audit.py",
    "/feedback/<code>": "processes/test_outcomes_take_up_feedback.py",
    "/accreditation/insurance/<int:insurance_id>/files": "accreditation/test_evidence_files.py",
    "/accreditation/cpd-audits/draw": "accreditation/test_insurance_and_cpd_audit.py",
    "/accreditation/cpd-audits/<int:audit_id>": "accreditation/test_insurance_and_cpd_audit.py",
    "/accreditation/observations/new/<int:user_id>": "accreditation/test_rules_over_time.py",
    "/accreditation/portfolio/items": "accreditation/test_portfolio_route.py",
    "/accreditation/portfolio/items/<int:item_id>/remove":
        "accreditation/test_portfolio_route.py",
    "/accreditation/portfolio/items/<int:item_id>/files": "accreditation/test_evidence_files.py",
    "/accreditation/apply/<level_key>/portfolio": "accreditation/test_portfolio_route.py",
    "/accreditation/references/<token>": "accreditation/test_portfolio_route.py",
    "/accreditation/applications/<int:application_id>/discussion":
        "accreditation/test_portfolio_route.py",
    "/courses/<slug>/checks/<module_slug>/paper-results": "learning/test_paper_checks.py",
    "/courses/<slug>/skills-practice": "learning/test_skills_practice.py",
    "/sessions/<int:session_id>/register/enter": "learning/test_registers.py",
    "/language": "i18n/test_language_switch.py",
    "/forgotten-password": "auth/test_password_reset_email.py",
    "/reset-password/<token>": "auth/test_password_reset_email.py",
    "/account/calendar": "learning/test_calendar.py",
    "/admin/branding": "branding/test_name_and_logo.py",
    "/admin/branding/remove": "branding/test_name_and_logo.py",
}


class Site:
    def __init__(self, app):
        self.app, self.clients = app, {}

    def client(self, username, password=DEMO_PASSWORD):
        if username not in self.clients:
            client = self.app.test_client()
            response = client.post("/login", data={"username": username,
                                                   "password": password})
            assert response.status_code == 302, f"{username} could not sign in"
            self.clients[username] = client
        return self.clients[username]

    def one(self, query):
        with self.app.app_context():
            return db.session.execute(query).first()

    def user_id(self, username):
        return self.one(select(User.id).where(User.username == username))[0]

    def scheme_id(self, slug_part):
        return self.one(select(Scheme.id).where(Scheme.slug.contains(slug_part)))[0]


def _today(days=0):
    return (clock.today() + timedelta(days=days)).isoformat()


PRACTICE = {"occurred_on": _today(-3), "sector": "prison", "process_type": "formal_conference",
            "communication": "direct", "face_to_face": "y", "harm_category": "violence",
            "involvement": "prisoner_prisoner",
            "practitioner_role": "lead", "stages": ["preparation", "delivery"],
            "reflection": "Preparation took two meetings; the conference ended well."}


def _steps(site):
    """(username, url, data) for each step, in an order that builds on itself."""
    prison = site.scheme_id("northfield")
    trainee = site.user_id("prison.trainee2")
    yield "admin", "/schemes/new", {
        "name": "Walk scheme", "slug": "walk-scheme", "sector": "school", "region": "Wales",
        "police_force_code": "W15000002"}
    yield "admin", "/schemes/walk-scheme/edit", {
        "name": "Walk scheme renamed", "slug": "walk-scheme", "sector": "school",
        "region": "Wales", "police_force_code": "W15000002", "local_authority_code": "W06000022"}
    yield "prison.lead", "/people/new", {
        "username": "walk.person", "display_name": "Walk Person", "scheme": prison,
        "role": "trainee"}
    walker = site.user_id("walk.person")
    yield "prison.lead", f"/people/{walker}/roles", {
        "scheme": prison, "role": "trainer"}
    with site.app.app_context():
        role_id = db.session.get(User, walker).memberships[-1].id
    yield "prison.lead", f"/people/{walker}/roles/{role_id}/remove", {}
    yield "prison.lead", f"/people/{walker}/deactivate", {}
    yield "prison.lead", f"/people/{walker}/reactivate", {}
    yield "prison.lead", f"/people/{walker}/reset-password", {}
    yield "admin", f"/people/{walker}/assessor", {}
    yield "prison.lead", f"/people/{walker}/kind", {"kind": "volunteer"}
    yield "admin", "/areas/viewers/grant", {"username": "walk.person", "kind": "area",
                                            "force_code": "W15000002"}
    scope_id = site.one(select(ViewerScope.id).where(ViewerScope.user_id == walker))[0]
    yield "admin", f"/areas/viewers/{scope_id}/revoke", {}
    prison_slug = site.one(select(Scheme.slug).where(Scheme.id == prison))[0]
    yield "prison.lead", "/people/import/confirm", {
        "content": f"username,display_name,email,role,scheme\nwalk.imported,Walk Imported,,"
                   f"trainee,{prison_slug}\n"}
    yield "prison.trainee2", "/account", {
        "display_name": "Learner A. Jones-Smith", "email": "", "preferred_language": "en"}
    yield "prison.trainee3", "/account/password", {
        "current_password": DEMO_PASSWORD, "new_password": "walking the audit trail",
        "confirm_password": "walking the audit trail"}

    # Learning: a lead who has never studied enrols, studies and sits a check.
    course = site.one(select(Course).where(Course.slug == "foundation"))[0]
    yield "prison.lead", "/courses/foundation/enrol", {}
    with site.app.app_context():
        module = db.session.scalar(select(Module).where(
            Module.version_id == course.current_version_id).order_by(Module.id))
        lesson = module.lessons[0]
        module_slug, lesson_slug = module.slug, lesson.slug
    check_url = f"/courses/foundation/checks/{module_slug}"
    yield ("prison.lead",
           f"/courses/foundation/lessons/{module_slug}/{lesson_slug}/done", {})
    options, hidden = check_form(site.client("prison.lead"), check_url)
    yield "prison.lead", check_url, {**hidden, **{name: choices[0][0]
                                                  for name, choices in options.items()}}
    yield "prison.trainer", "/sessions/new", {
        "course": course.id, "scheme": prison, "day": _today(30), "start": "09:30",
        "end": "12:30", "location": "Education block", "capacity": "10"}
    session_id = site.one(select(func.max(LiveSession.id)))[0]
    yield "prison.lead", f"/sessions/{session_id}/book", {}
    yield "prison.lead", f"/sessions/{session_id}/cancel", {}
    site.client("prison.lead").post(f"/sessions/{session_id}/book")
    with site.app.app_context():
        booking_id = db.session.get(LiveSession, session_id).bookings[0].id
    yield "prison.trainer", f"/sessions/{session_id}/attendance", {
        f"attended-{booking_id}": "yes", f"hours-{booking_id}": "3"}
    yield "prison.lead", "/training/enrol/confirm", {
        "course": course.id, "scheme": prison, "usernames": "walk.imported"}

    # Practice: a draft, edited, submitted, signed off; CPD and supervision.
    yield "prison.trainee2", "/practice/new", {**PRACTICE, "scheme": prison}
    record_id = site.one(select(func.max(PracticeRecord.id)))[0]
    yield "prison.trainee2", f"/practice/{record_id}/edit", {
        **PRACTICE, "scheme": prison, "reflection": "Edited reflection on the conference."}
    yield "prison.trainee2", f"/practice/{record_id}/submit", {}
    supervisor = site.user_id("prison.supervisor")
    yield "prison.trainee2", f"/practice/{record_id}/request", {
        "supervisor": supervisor}
    version = site.one(select(PracticeRecord.version).where(PracticeRecord.id == record_id))[0]
    yield "prison.supervisor", f"/practice/{record_id}/assess", {
        "outcome": "signed off", "feedback": "Well prepared.", "version": version,
        "ratings-preparation-rating": "strong", "ratings-delivery-rating": "demonstrated"}
    yield "prison.trainee2", "/cpd/", {
        "done_on": _today(-2), "hours": "2", "activity": "Reading", "provider": "Library"}
    entry_id = site.one(select(func.max(CpdEntry.id)))[0]
    yield "admin", f"/cpd/{entry_id}/approve", {}
    yield "prison.supervisor", "/supervision/new", {
        "practitioner": "prison.trainee2", "held_on": _today(-1), "duration_minutes": "60",
        "notes": "Discussed preparation."}
    supervision_id = site.one(select(func.max(SupervisionSession.id)))[0]
    yield "prison.trainee2", f"/supervision/{supervision_id}/confirm", {}
    yield "admin", "/admin/supervisors", {
        "username": "prison.trainer", "reason": "Completed the supervision course."}

    # Processes: an instant resolution, a colleague invited (confirms), another (declines),
    # outcomes, take-up, a feedback code and paper answers.
    yield "prison.trainee2", "/processes/instant", {
        "scheme": prison, "occurred_on": _today(), "setting": "prison",
        "involvement": "prisoner_prisoner", "harm": "verbal_altercation",
        "agreement_reached": "yes"}
    process_id = site.one(select(func.max(RestorativeProcess.id)))[0]
    yield "prison.trainee2", f"/processes/{process_id}/invite", {
        "person": site.user_id("prison.trainee3"), "role": "co_facilitator"}
    part = site.one(select(func.max(ProcessParticipant.id)))[0]
    yield "prison.trainee3", f"/processes/parts/{part}/confirm", {}
    site.client("prison.trainee2").post(f"/processes/{process_id}/invite", data={
        "person": site.user_id("prison.trainer"), "role": "observer"})
    part = site.one(select(func.max(ProcessParticipant.id)))[0]
    yield "prison.trainer", f"/processes/parts/{part}/decline", {}
    yield "prison.trainee2", f"/processes/{process_id}/outcomes", {
        "agreement_reached": "yes", "returned_to_wing": "not_known"}
    counts = {"offered": "1", "interested": "1", "met": "1", "took_part": "1",
              "declined_at_offer": "0", "declined_after_interest": "0",
              "declined_after_meeting": "0"}
    yield "prison.trainee2", f"/processes/{process_id}/take-up", {
        **{f"harmed-{k}": v for k, v in counts.items()},
        **{f"responsible-{k}": v for k, v in counts.items()}}
    yield "prison.trainee2", f"/processes/{process_id}/feedback/code", {"max_answers": "2"}
    yield "prison.trainee2", f"/processes/{process_id}/feedback/paper", {
        "consent": "y", "satisfaction": "5", "recommend": "yes"}

    # Accreditation: statements, decisions, applying again, nominating, a record's life.
    yield "prison.trainee2", "/accreditation/attestations", {
        "attestation": "code_of_practice"}
    waiting = site.one(select(Application).where(Application.status == "submitted"))[0]
    applicant = site.one(select(User.username).where(User.id == waiting.applicant_id))[0]
    yield "admin", f"/accreditation/applications/{waiting.id}", {
        "outcome": "further work needed", "reasons": "One more observed process, please."}
    yield applicant, f"/accreditation/apply/{waiting.level_key}", {}
    again = site.one(select(func.max(Application.id)))[0]
    site.client("admin").post(f"/accreditation/applications/{again}", data={
        "outcome": "not accepted", "reasons": "Not yet."})
    lead = "prison.lead" if applicant.startswith("prison") else "school.lead"
    yield (lead,
           f"/accreditation/nominate/{waiting.applicant_id}/{waiting.level_key}", {})
    record = site.one(select(AccreditationRecord.public_id).where(
        AccreditationRecord.status == "active"))[0]
    yield "admin", f"/accreditation/records/{record}/suspend", {
        "reason": "Complaint under investigation."}
    yield "prison.lead", f"/reports/schemes/{prison_slug}/bulk/confirm", {
        "action": "remind", "user": [str(trainee)], "message": "Please update your CPD."}

    # Data protection: erasing an account (last: it pseudonymises a demo person).
    yield "admin", f"/admin/privacy/erase/{site.user_id('school.trainee3')}", {}


def _event_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_every_state_changing_endpoint_writes_an_audit_event(app, runner, monkeypatch):
    # Whether the demo people meet the standards is not what this walk checks: let anyone
    # apply, so that applying and nominating change something.
    monkeypatch.setattr(applications, "evaluate",
                        lambda level, *args, **kwargs: Evaluation(level, ()))
    assert runner.invoke(args=["courses", "load"]).exit_code == 0
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    site = Site(app)
    routes = app.url_map.bind("localhost")
    walked, silent = set(), []
    for username, url, data in _steps(site):
        rule = routes.match(url, method="POST", return_rule=True)[0].rule
        before = _event_count(app)
        response = site.client(username).post(url, data=data)
        assert response.status_code < 400, (rule, response.status_code,
                                            response.get_data(as_text=True)[:300])
        walked.add(rule)
        if _event_count(app) == before:
            silent.append(rule)
    assert silent == [], f"state-changing routes that wrote no audit event: {silent}"
    post_rules = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert sorted(post_rules - walked - set(NO_STATE_CHANGE)
                  - set(WALKED_IN_FEATURE_TESTS)) == [], \
        "POST routes neither walked nor listed as changing nothing"
    assert walked & set(NO_STATE_CHANGE) == set()
    assert set(NO_STATE_CHANGE) <= post_rules, "the allow-list names a route that is gone"
