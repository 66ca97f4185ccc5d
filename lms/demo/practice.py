"""Demo practice: logged processes in every state, supervision, CPD, notifications.
Everything goes through the services, so the audit chain holds the demo's history too."""

from datetime import timedelta

from sqlalchemy import select

from lms import clock
from lms.auth.models import User
from lms.extensions import db
from lms.practice import services, supervision
from lms.practice.cpd import add, approve
from lms.practice.models import CpdEntry, PracticeRecord, RecognisedSupervisor
from lms.processes import services as process_services

REFLECTIONS = [
    "Two preparation meetings with each participant. The person harmed wanted to explain "
    "the effect on their sleep and confidence; the outcome agreement covered an apology and "
    "staying apart on association.",
    "Shuttle process over three weeks. Messages were written down and read back before I "
    "carried them, which kept them accurate. Next time I would agree timescales earlier.",
    "Informal meeting after a verbal altercation in the queue for the servery. Both agreed "
    "what had happened quickly; I should have checked in with the officer on the wing first.",
    "Co-facilitated a classroom circle after a bullying incident. Pupils used the restorative "
    "questions well; follow-up with the form tutor is booked for two weeks' time.",
]

#: (author, co-facilitator, process type, harm, role, sensitive, days ago, outcome)
RECORDS = [
    ("prison.trainee1", "prison.trainer", "formal_conference", "violence", "co_facilitator",
     False, 60, "signed off"),
    ("prison.trainee1", None, "indirect", "debt", "lead", False, 35, "returned"),
    ("prison.trainee1", None, "informal_meeting", "verbal_altercation", "lead", False, 12,
     "awaiting"),
    ("prison.trainee1", None, "formal_conference", "violence", "lead", True, 5, "draft"),
    ("school.trainee1", "school.trainer", "circle", "bullying", "co_facilitator", False, 40,
     "signed off"),
    ("school.trainee1", None, "informal_meeting", "verbal_altercation", "lead", False, 9,
     "awaiting"),
    ("prison.trainer", None, "formal_conference", "robbery", "lead", False, 80, "signed off"),
]
SUPERVISORS = {"prison": "prison.supervisor", "school": "school.supervisor"}
#: Who was involved in the demo's logged processes, by setting.
INVOLVEMENT = {"prison": "prisoner_prisoner", "school": "pupil_pupil"}


def load_practice_demo() -> str:
    users = {u.username: u for u in db.session.scalars(select(User))}
    if "admin" not in users or db.session.scalar(select(PracticeRecord.id).limit(1)):
        return "Practice demo already present."
    admin = users["admin"]
    for username in SUPERVISORS.values():
        if db.session.scalar(select(RecognisedSupervisor.id).where(
                RecognisedSupervisor.user_id == users[username].id)) is None:
            services.recognise_supervisor(users[username], by=admin,
                                          reason="Experienced case supervisor (demo).")
    for n, row in enumerate(RECORDS):
        _record(users, n, *row)
    _supervision_and_cpd(users)
    return f"Practice demo ready ({len(RECORDS)} practice records)."


def _record(users, n, author, co, process, harm, role, sensitive, days_ago, outcome):
    author_user = users[author]
    when = clock.today() - timedelta(days=days_ago)
    scheme = author_user.memberships[0].scheme
    record = PracticeRecord(
        scheme_id=scheme.id,
        occurred_on=when, sector=scheme.sector, process_type=process,
        direct=process != "indirect", face_to_face=process != "indirect", sensitive=sensitive,
        harm_category=harm, practitioner_role=role,
        co_facilitator_id=users[co].id if co else None,
        stages=["preparation", "delivery", "outcomes"] if process != "indirect"
        else ["engagement", "risk", "preparation"],
        reflection=REFLECTIONS[n % len(REFLECTIONS)])
    services.create(record, author_user)
    process = process_services.start(process_services.Facts(
        scheme_id=scheme.id, occurred_on=when, setting=scheme.sector, process_type=process,
        involvement=INVOLVEMENT[scheme.sector], harms=[harm], direct=record.direct,
        face_to_face=record.face_to_face, sensitive=sensitive), author_user, role=role,
        case_code=record.case_code)
    record.process_id = process.id
    if co:
        process_services.confirm(process_services.invite(
            process, users[co], role="lead" if role == "co_facilitator" else "co_facilitator",
            by=author_user), users[co])
    if outcome == "draft":
        return
    services.submit(record, author_user)
    supervisor = users[SUPERVISORS[author.split(".")[0]]]
    services.request_sign_off(record, supervisor, author_user)
    if outcome == "awaiting":
        return
    ratings = {stage: {"rating": "demonstrated", "comment": ""} for stage in record.stages}
    feedback = ("Clear and well prepared." if outcome == "signed off" else
                "Please add how risks to the person harmed were reviewed before each message.")
    services.assess(record, supervisor, outcome=outcome, ratings=ratings, feedback=feedback)


def _supervision_and_cpd(users):
    today = clock.today()
    for practitioner, supervisor, days_ago in [("prison.trainee1", "prison.supervisor", 30),
                                               ("school.trainee1", "school.supervisor", 100)]:
        session = supervision.record_session(
            supervisor=users[supervisor], practitioner=users[practitioner],
            held_on=today - timedelta(days=days_ago), duration_minutes=60,
            notes="Reviewed current cases and agreed to observe the next conference.")
        supervision.confirm(session, users[practitioner])
    for username, days_ago, hours, activity, approved_by in [
        ("prison.trainee1", 50, 3.0, "Trauma-informed practice workshop", "prison.trainer"),
        ("prison.trainee1", 20, 1.5, "Peer practice group", None),
        ("school.trainee1", 70, 6.0, "Restorative circles in schools (one day)",
         "school.trainer"),
    ]:
        entry = CpdEntry(hours=hours, activity=activity,
                         done_on=today - timedelta(days=days_ago), provider="Regional RJ hub")
        add(entry, users[username])
        if approved_by:
            approve(entry, users[approved_by])
