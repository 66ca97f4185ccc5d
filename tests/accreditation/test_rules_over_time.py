"""Rules that were wrong: any-of dependencies, joint renewal, the case supervisor's caseload,
who may lead sensitive cases, observations as their own evidence, and what people see."""

from datetime import date, timedelta

from sqlalchemy import select

from lms import clock
from lms.accreditation import lifecycle
from lms.accreditation.models import AccreditationRecord, Observation
from lms.accreditation.standards import load_standards
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.practice.models import PracticeRecord, RecognisedSupervisor, SupervisionSession
from lms.practice.services import qualified_to_lead_sensitive
from tests.accreditation.conftest import _course
from tests.accreditation.test_accreditation_flow import _record
from tests.helpers import login_as

LEVEL_NAMES = {"foundation": "Foundation practitioner", "intermediate":
               "Intermediate practitioner", "advanced": "Advanced practitioner",
               "case_supervisor": "Case supervisor", "trainer": "Trainer"}


def hold(app, user, level, *, awarded_days_ago=200, expires_in_days=160, status="active"):
    today = clock.today()
    with app.app_context():
        record = AccreditationRecord(
            public_id=f"TEST-{user.id:04d}-{level[:4].upper()}-{abs(expires_in_days):04d}",
            holder_id=user.id, level_key=level, level_name=LEVEL_NAMES[level],
            standard_version_id=_version_id(), issued_on=today - timedelta(awarded_days_ago),
            expires_on=today + timedelta(expires_in_days), status=status, decision={})
        db.session.add(record)
        db.session.commit()
        return record.id


def _version_id():
    from lms.accreditation.standard_versions import current_standard_version
    return current_standard_version(load_standards()).id


def test_trainer_stays_while_advanced_is_held_when_intermediate_lapses(app, people):
    user = people.practitioner
    intermediate = hold(app, user, "intermediate", expires_in_days=-1)
    hold(app, user, "advanced")
    trainer = hold(app, user, "trainer")
    with app.app_context():
        counts = lifecycle.sweep()
        db.session.commit()
    assert counts["lapsed"] == 1
    assert counts["cascaded"] == 0
    assert _record(app, id=intermediate).status == "lapsed"
    assert _record(app, id=trainer).status == "active"


def test_trainer_lapses_when_neither_intermediate_nor_advanced_is_held(app, people):
    user = people.practitioner
    hold(app, user, "intermediate", expires_in_days=-1)
    trainer = hold(app, user, "trainer")
    with app.app_context():
        lifecycle.sweep()
        db.session.commit()
    record = _record(app, id=trainer)
    assert record.status == "lapsed"
    with app.app_context():
        reason = db.session.get(AccreditationRecord, trainer).history[-1].reason
    assert reason == "Intermediate practitioner or Advanced practitioner is no longer held."


def _maintained(app, people, give_evidence, **extra):
    """A year of evidence meeting the advanced maintenance rules."""
    give_evidence(people.practitioner, people.supervisor, supervised_every=70,
                  courses=("facilitator",), **extra)


def test_several_levels_renew_together_once(app, people, give_evidence):
    user = people.practitioner
    _maintained(app, people, give_evidence)
    foundation = hold(app, user, "foundation", awarded_days_ago=1000, expires_in_days=20)
    intermediate = hold(app, user, "intermediate", awarded_days_ago=700, expires_in_days=80)
    advanced = hold(app, user, "advanced", awarded_days_ago=300, expires_in_days=60)
    before = {key: _record(app, id=key) for key in (foundation, intermediate, advanced)}
    response = login_as(app, people.admin).post(
        f"/accreditation/records/{before[intermediate].public_id}/renew",
        data={"reason": "Annual renewal."}, follow_redirects=True)
    assert "Record renewed." in response.get_data(as_text=True)
    today = clock.today()
    after = {key: _record(app, id=key) for key in before}
    anchor = before[foundation].expires_on  # the earliest expiry is the anniversary
    expected = date(anchor.year + 1, anchor.month, min(anchor.day, 28)
                    ) if (anchor.month, anchor.day) == (2, 29) else anchor.replace(
                        year=anchor.year + 1)
    assert {r.expires_on for r in after.values()} == {expected}
    for key, record in after.items():
        assert record.valid_from == today  # a new version of the record
        assert record.issued_on == before[key].issued_on  # the award date stays
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "accreditation.renewed")).all()
    assert len(events) == 3
    assert sorted(events[0].payload["together_with"]) == sorted(
        r.public_id for r in after.values())


def test_joint_renewal_uses_the_highest_levels_rules(app, people, give_evidence):
    user = people.practitioner
    # 8 hours of CPD meets foundation (6) and intermediate would need 12, advanced 16
    _maintained(app, people, give_evidence, cpd_hours=8.0)
    foundation = hold(app, user, "foundation", expires_in_days=30)
    advanced = hold(app, user, "advanced", expires_in_days=30)
    response = login_as(app, people.admin).post(
        f"/accreditation/records/{_record(app, id=foundation).public_id}/renew",
        data={"reason": "Annual."}, follow_redirects=True)
    assert "8 more CPD hours" in response.get_data(as_text=True)
    for key in (foundation, advanced):
        assert _record(app, id=key).valid_from != clock.today()


def test_case_supervisor_needs_a_caseload_to_renew(app, people, give_evidence):
    user = people.practitioner
    _maintained(app, people, give_evidence)
    advanced = hold(app, user, "advanced", expires_in_days=30)
    supervisor = hold(app, user, "case_supervisor", expires_in_days=30)
    renew_url = f"/accreditation/records/{_record(app, id=supervisor).public_id}/renew"
    response = login_as(app, people.admin).post(renew_url, data={"reason": "Annual."},
                                             follow_redirects=True)
    assert "Supervise 2 more practitioners" in response.get_data(as_text=True)
    assert _record(app, id=advanced).valid_from == clock.today()  # renewed
    assert _record(app, id=supervisor).valid_from != clock.today()  # not renewed
    # with two supervisees in the last 12 weeks it renews
    with app.app_context():
        for other in (people.lead, people.other_lead):
            db.session.add(SupervisionSession(
                supervisor_id=user.id, practitioner_id=other.id, scheme_id=people.scheme.id,
                held_on=clock.today() - timedelta(weeks=3), duration_minutes=60,
                supervisor_confirmed_at=clock.utcnow(),
                practitioner_confirmed_at=clock.utcnow()))
        db.session.commit()
    login_as(app, people.admin).post(renew_url, data={"reason": "Caseload shown."})
    assert _record(app, id=supervisor).valid_from == clock.today()


def test_only_the_level_held_qualifies_to_lead_sensitive_cases(app, people):
    user = people.practitioner
    with app.app_context():
        from lms.learning.models import Enrolment
        db.session.add(Enrolment(user_id=user.id, course_id=_course("sensitive-complex").id,
                                 completed_at=clock.utcnow()))
        db.session.commit()
        assert not qualified_to_lead_sensitive(db.session.get(User, user.id))
    hold(app, user, "intermediate")
    with app.app_context():
        assert not qualified_to_lead_sensitive(db.session.get(User, user.id))
    hold(app, user, "advanced")
    with app.app_context():
        assert qualified_to_lead_sensitive(db.session.get(User, user.id))


def _recognise(app, user, by):
    with app.app_context():
        db.session.add(RecognisedSupervisor(user_id=user.id, recognised_by_id=by.id,
                                            reason="Experienced."))
        db.session.commit()


OBSERVATION = {"observed_on": "2026-01-10", "mode": "live", "stages": ["delivery", "outcomes"],
               "outcome": "meets the standard", "feedback": "Calm, clear delivery."}


def test_signed_off_records_are_not_observations(app, people, give_evidence):
    give_evidence(people.practitioner, people.supervisor, observed=0)
    page = login_as(app, people.practitioner).get("/accreditation/pathway").get_data(as_text=True)
    assert "No observations recorded yet" in page
    with app.app_context():
        assert db.session.scalar(select(PracticeRecord.id)) is not None
        from lms.accreditation.evidence import gather
        assert gather(people.practitioner.id).observations == ()


def test_a_recognised_supervisor_records_an_observation(app, people, make_user):
    _recognise(app, people.supervisor, people.admin)
    url = f"/accreditation/observations/new/{people.practitioner.id}"
    observer = login_as(app, people.supervisor)
    assert people.practitioner.display_name in observer.get(
        "/accreditation/observations/").get_data(as_text=True)
    response = observer.post(url, data={**OBSERVATION, "stages": []})
    assert "Choose the stages you assessed." in response.get_data(as_text=True)
    response = observer.post(url, data={**OBSERVATION,
                                        "feedback": "Spoke with John Smith, 07700 900123."})
    assert "phone number" in response.get_data(as_text=True).lower()
    assert observer.post(url, data=OBSERVATION).status_code == 302
    with app.app_context():
        observation = db.session.scalar(select(Observation))
        assert (observation.observer_id, observation.mode, observation.stages,
                observation.outcome) == (people.supervisor.id, "live",
                                         ["delivery", "outcomes"], "meets the standard")
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "observation.recorded"))
        assert event.payload["practitioner_id"] == people.practitioner.id
        from lms.accreditation.evidence import gather
        assert gather(people.practitioner.id).observations == (date(2026, 1, 10),)
    page = login_as(app, people.practitioner).get("/accreditation/pathway").get_data(as_text=True)
    assert "10 Jan 2026, live, by" in page


def test_observers_must_be_independent(app, people, make_user, make_assessor):
    url = f"/accreditation/observations/new/{people.practitioner.id}"
    # not recognised yet: a supervisor role alone is not enough
    assert login_as(app, people.supervisor).post(url, data=OBSERVATION).status_code == 403
    # a recognised supervisor of another scheme
    outsider = make_user(role="supervisor", scheme=people.other)
    _recognise(app, outsider, people.admin)
    assert login_as(app, outsider).post(url, data=OBSERVATION).status_code == 403
    # nobody observes themselves, even as an assessor
    make_assessor(people.practitioner)
    assert login_as(app, people.practitioner).post(url, data=OBSERVATION).status_code == 403
    # an assessor from anywhere may
    make_assessor(people.assessor)
    assert login_as(app, people.assessor).post(url, data=OBSERVATION).status_code == 302
    with app.app_context():
        from lms.accreditation.observations import observer_refusal
        practitioner = db.session.get(User, people.practitioner.id)
        assessor = db.session.get(User, people.assessor.id)
        delivered = PracticeRecord(author_id=practitioner.id, co_facilitator_id=assessor.id)
        assert observer_refusal(assessor, practitioner, delivered) == (
            "Someone who delivered the process cannot be its observer.")
        assert db.session.scalar(select(Observation.observer_id)) == people.assessor.id


def test_pathway_shows_supervision_gaps_and_where_to_act(app, people, give_evidence):
    give_evidence(people.practitioner, people.supervisor)
    with app.app_context():
        old = clock.today() - timedelta(weeks=30)
        db.session.execute(SupervisionSession.__table__.update().values(held_on=old))
        db.session.add(PracticeRecord(
            author_id=people.practitioner.id, case_code="RJ-T-OLD", scheme_id=people.scheme.id,
            occurred_on=clock.today() - timedelta(weeks=40), sector="prison",
            process_type="formal_conference", direct=True, face_to_face=True, sensitive=False,
            harm_category="violence", practitioner_role="lead", stages=["delivery"],
            reflection="Fine.", status="signed off", signed_off_at=clock.utcnow()))
        db.session.commit()
    page = login_as(app, people.practitioner).get("/accreditation/pathway").get_data(as_text=True)
    assert "Gap: Case supervision at least every 12 weeks" in page
    last = (clock.today() - timedelta(weeks=30))
    assert f"No session from {last.day} {last:%b %Y} to " in page
    assert 'href="/cpd/"' in page
    assert "Supervision</a>" in page
    assert "Why we ask more than the public code" in page


def test_standards_page_shows_current_and_earlier_versions(app, people, give_evidence):
    from lms.accreditation.models import StandardVersion
    with app.app_context():
        db.session.add(StandardVersion(content_hash="0" * 64, levels={
            "foundation": {"name": "Old foundation", "validity_months": 24,
                           "depends_on": None}},
            loaded_at=clock.utcnow() - timedelta(days=400)))
        db.session.commit()
    hold(app, people.practitioner, "foundation")  # a decision under the current version
    page = login_as(app, people.practitioner).get("/accreditation/standards").get_data(
        as_text=True)
    assert "In force now" in page
    assert "Advanced practitioner" in page
    assert "Co-facilitated" not in page  # descriptions, not keys
    assert "sensitive or complex processes as co-facilitator" in page
    assert "Old foundation (24 months)" in page
    assert "Records issued under it" not in page
    admin_page = login_as(app, people.admin).get("/accreditation/standards").get_data(
        as_text=True)
    assert "Records issued under it" in admin_page
    assert "<td>1</td>" in admin_page


def test_the_sweep_reads_only_records_that_can_need_something_a_batch_at_a_time(
        app, people, monkeypatch):
    """A record years from expiry is never loaded; near ones and expiring ones are, in
    batches (SWEEP_BATCH per query)."""
    user = people.practitioner
    lapsing = hold(app, user, "intermediate", expires_in_days=-1)
    near = hold(app, user, "foundation", expires_in_days=20)
    expiring = hold(app, user, "advanced", expires_in_days=30, status="expiring")
    far = hold(app, user, "trainer", expires_in_days=900)
    monkeypatch.setattr(lifecycle, "SWEEP_BATCH", 1)
    with app.app_context():
        standards = load_standards()
        read = [r.id for r in lifecycle._records_to_sweep(clock.today(), standards)]
        assert far not in read
        assert read == sorted([lapsing, near, expiring])
        counts = lifecycle.sweep()
        db.session.commit()
    assert counts["lapsed"] == 1
    assert _record(app, id=far).status == "active"
