"""Demo restorative processes: for each programme setting, a scheme's processes (some
co-facilitated, some instant resolutions) with outcomes, take-up counts and feedback, so
each programme's published figures can be shown. Everything goes through the services."""

from datetime import timedelta

from sqlalchemy import select

from lms import clock
from lms.auth.models import User
from lms.extensions import db
from lms.processes import services
from lms.processes.models import RestorativeProcess

#: (lead, co-facilitator or None, setting, type, involvement, harms, days ago,
#:  outcomes, take-up {party: (offered, interested, met, took part, declined at offer,
#:  after interest, after meeting)}, feedback [(satisfaction, recommend)])
PROCESSES = [
    ("prison.trainee2", "prison.trainee3", "prison", "informal_meeting", "prisoner_prisoner",
     ["verbal_altercation"], 20, {"agreement_reached": "yes", "returned_to_wing": "no"},
     {}, []),
    ("prison.trainer", "prison.trainee2", "prison", "formal_conference", "staff_prisoner",
     ["violence"], 45, {"agreement_reached": "yes", "returned_to_wing": "yes"}, {},
     [(5, "yes"), (4, "yes")]),
    ("prison.trainee3", None, "prison", "instant", "prisoner_prisoner", ["debt"], 3,
     {"agreement_reached": "yes"}, {}, []),
    ("school.trainee2", "school.trainee3", "school", "formal_conference", "pupil_pupil",
     ["bullying"], 30, {"agreement_reached": "yes", "continued_in_education": "yes"}, {},
     [(5, "yes")]),
    ("school.trainee3", None, "school", "formal_conference", "pupil_staff",
     ["verbal_altercation"], 50, {"agreement_reached": "yes", "continued_in_education": "no"},
     {}, []),
    ("school.trainee2", None, "school", "instant", "pupil_pupil", ["verbal_altercation"], 2,
     {"agreement_reached": "yes"}, {}, []),
    ("housing.officer1", None, "housing", "instant", "neighbours", ["noise"], 6,
     {"agreement_reached": "yes"}, {}, []),
    ("housing.officer2", None, "housing", "instant", "neighbours", ["neighbour_nuisance"], 12,
     {"agreement_reached": "no"}, {}, []),
    ("housing.officer1", "housing.officer2", "housing", "formal_conference", "neighbours",
     ["neighbour_nuisance", "verbal_altercation"], 40,
     {"agreement_reached": "yes", "repeat_incident": "no"},
     {"harmed": (2, 2, 2, 2, 0, 0, 0), "responsible": (1, 1, 1, 1, 0, 0, 0)}, [(4, "yes")]),
    ("health.nurse1", None, "health", "informal_meeting", "patient_staff", ["care_concern"],
     15, {"agreement_reached": "yes", "resolved_without_complaint": "yes"}, {}, [(5, "yes")]),
    ("health.nurse2", "health.nurse1", "health", "formal_conference", "patient_staff",
     ["complaint"], 60, {"agreement_reached": "no", "resolved_without_complaint": "no"}, {},
     [(2, "unsure")]),
    ("courts.volunteer1", "courts.volunteer2", "courts", "formal_conference",
     "victim_offender", ["burglary"], 35,
     {"agreement_reached": "yes", "report_to_court": "yes"},
     {"harmed": (10, 6, 5, 4, 4, 1, 1), "responsible": (5, 4, 4, 4, 1, 0, 0)},
     [(5, "yes"), (4, "yes")]),
    ("courts.volunteer2", None, "courts", "indirect", "victim_offender", ["robbery"], 70,
     {"agreement_reached": "yes", "report_to_court": "yes"},
     {"harmed": (6, 3, 2, 1, 3, 1, 1), "responsible": (3, 3, 2, 1, 0, 1, 1)},
     [(3, "unsure")]),
    ("police.officer1", None, "police", "informal_meeting", "complainant_police",
     ["complaint"], 25, {"agreement_reached": "yes", "complaint_local_resolution": "yes"}, {},
     [(4, "yes")]),
    ("police.officer2", "police.officer1", "police", "formal_conference",
     "complainant_police", ["complaint"], 55,
     {"agreement_reached": "no", "complaint_local_resolution": "no"}, {}, []),
    ("neighbourhood.volunteer1", "neighbourhood.volunteer2", "neighbourhood",
     "formal_conference", "neighbours", ["anti_social_behaviour", "criminal_damage"], 28,
     {"agreement_reached": "yes", "repeat_incident": "no"},
     {"harmed": (3, 2, 2, 2, 1, 0, 0), "responsible": (2, 2, 2, 2, 0, 0, 0)}, [(5, "yes")]),
    ("neighbourhood.volunteer2", None, "neighbourhood", "instant", "neighbours", ["noise"], 4,
     {"agreement_reached": "yes"}, {}, []),
]


def load_process_demo() -> str:
    users = {u.username: u for u in db.session.scalars(select(User))}
    if "neighbourhood.volunteer1" not in users or db.session.scalar(
            select(RestorativeProcess.id).where(RestorativeProcess.setting == "neighbourhood")
            .limit(1)):
        return "Process demo already present."
    for row in PROCESSES:
        _process(users, *row)
    return f"Process demo ready ({len(PROCESSES)} processes)."


def _process(users, lead, co, setting, kind, involvement, harms, days_ago, outcomes,
             take_up, feedback):
    lead_user = users[lead]
    facts = services.Facts(
        scheme_id=lead_user.memberships[0].scheme_id,
        occurred_on=clock.today() - timedelta(days=days_ago), setting=setting,
        process_type=kind, involvement=involvement, harms=harms,
        direct=kind != "indirect", face_to_face=kind != "indirect")
    process = services.start(facts, lead_user)
    if co:
        part = services.invite(process, users[co], role="co_facilitator", by=lead_user)
        services.confirm(part, users[co])
    services.record_outcomes(process, lead_user, answers=outcomes,
                             items_agreed=2 if outcomes.get("agreement_reached") == "yes"
                             and kind != "instant" else None,
                             items_completed=2 if days_ago > 30 and kind != "instant"
                             and outcomes.get("agreement_reached") == "yes" else None)
    if take_up:
        services.record_take_up(process, lead_user, counts={
            party: dict(zip(("offered", "interested", "met", "took_part",
                             "declined_at_offer", "declined_after_interest",
                             "declined_after_meeting"), numbers, strict=True))
            for party, numbers in take_up.items()})
    if feedback:
        code = services.make_feedback_code(process, lead_user, max_answers=len(feedback))
        online, *paper = feedback
        found = services.feedback_code(code)
        assert found is not None  # just made, unused
        services.answer_feedback(found, satisfaction=online[0], recommend=online[1],
                                 comment="")
        for satisfaction, recommend in paper:
            services.enter_paper_feedback(process, lead_user, satisfaction=satisfaction,
                                          recommend=recommend, comment="")
