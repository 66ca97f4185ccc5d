"""The portfolio route end to end: items, a referee confirming through a one-time link
without an account, applying, the professional discussion and the decision."""

import re
from datetime import timedelta

from sqlalchemy import select

from lms import clock
from lms.accreditation.models import AccreditationRecord, Application, Attestation, PortfolioItem
from lms.audit.models import AuditEvent
from lms.extensions import db
from tests.helpers import login_as


def _case(n, years_ago=1):
    day = clock.today() - timedelta(days=365 * years_ago + n)
    return {"kind": "case_study", "title": f"Case {n}", "summary": "Conference after a "
            "workplace assault; both parties prepared separately.",
            "stages": ["preparation", "delivery"], "occurred_on": day.isoformat()}


def _product(n, risk=False):
    return {"kind": "work_product", "title": f"Product {n}", "summary": "A template.",
            **({"is_risk_assessment": "y"} if risk else {})}


def _reference(n):
    return {"kind": "reference", "title": f"Reference {n}", "summary": "Saw me run two "
            "conferences in 2025.", "referee_name": f"Referee {n}"}


def _link(response):
    match = re.search(r"<code>(https?://[^<]+/accreditation/references/([^<]+))</code>",
                      response.get_data(as_text=True))
    assert match, "the one-time link is shown once"
    return "/accreditation/references/" + match.group(2)


def test_portfolio_route_end_to_end(app, people, make_assessor):
    client = login_as(app, people.practitioner)
    with app.app_context():
        db.session.add(Attestation(user_id=people.practitioner.id, key="code_of_practice"))
        db.session.commit()
    # a case study needs stages and a date; identifying details are refused
    response = client.post("/accreditation/portfolio/items", data={**_case(1), "stages": []})
    assert "Map the case study to the stages" in response.get_data(as_text=True)
    response = client.post("/accreditation/portfolio/items", data={
        **_case(1), "summary": "Met the victim at 12 Acacia Avenue, call 07700 900123."})
    assert response.status_code == 422
    for n in range(1, 4):
        assert client.post("/accreditation/portfolio/items", data=_case(n)).status_code == 302
    client.post("/accreditation/portfolio/items", data=_case(9, years_ago=4))  # too old
    for n in range(1, 5):
        client.post("/accreditation/portfolio/items", data=_product(n, risk=n == 1))
    links = [_link(client.post("/accreditation/portfolio/items", data=_reference(n)))
             for n in (1, 2)]
    page = client.get("/accreditation/portfolio").get_data(as_text=True)
    assert "Gap: 2 more confirmed references" in page
    assert "Apply for Foundation practitioner by portfolio" not in page
    # the referee confirms without an account; the link then stops working
    referee = app.test_client()
    assert "Saw me run two conferences" in referee.get(links[0]).get_data(as_text=True)
    response = referee.post(links[0], data={"referee_name": "Dr Referee One",
                                            "statement": "I co-worked with them."})
    assert "Tick to confirm the reference." in response.get_data(as_text=True)
    response = referee.post(links[0], data={"referee_name": "Dr Referee One",
                                            "statement": "I co-worked with them.",
                                            "confirm": "y"})
    assert "Your reference is recorded" in response.get_data(as_text=True)
    assert referee.get(links[0]).status_code == 404
    assert referee.post(links[0], data={"referee_name": "X", "statement": "Y",
                                        "confirm": "y"}).status_code == 404
    assert referee.get("/accreditation/references/not-a-token").status_code == 404
    referee.post(links[1], data={"referee_name": "Referee Two", "statement": "Observed.",
                                 "confirm": "y"})
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "portfolio.reference_confirmed")).all()
        assert len(events) == 2
        assert events[0].actor_id is None
        assert db.session.scalar(select(PortfolioItem.token_hash).where(
            PortfolioItem.kind == "reference").limit(1)) is None
    page = client.get("/accreditation/portfolio").get_data(as_text=True)
    assert "Apply for Foundation practitioner by portfolio" in page
    # case supervisor does not accept the portfolio route
    response = client.post("/accreditation/apply/case_supervisor/portfolio",
                           follow_redirects=True)
    assert "does not accept the portfolio route" in response.get_data(as_text=True)
    client.post("/accreditation/apply/foundation/portfolio")
    with app.app_context():
        application = db.session.scalar(select(Application))
        assert application.route == "portfolio"
        assert len(application.snapshot["portfolio"]) == 10  # the old case study is kept too
        frozen = db.session.scalar(select(PortfolioItem).where(
            PortfolioItem.application_id == application.id).limit(1))
        application_id, frozen_id = application.id, frozen.id
    # frozen items cannot be removed
    response = client.post(f"/accreditation/portfolio/items/{frozen_id}/remove",
                           follow_redirects=True)
    assert "frozen with it" in response.get_data(as_text=True)
    # the assessor must record the professional discussion before approving
    make_assessor(people.assessor)
    assessor = login_as(app, people.assessor)
    url = f"/accreditation/applications/{application_id}"
    page = assessor.get(url).get_data(as_text=True)
    assert "Referee: I co-worked with them." in page
    response = assessor.post(url, data={"outcome": "approved", "reasons": "Strong."})
    assert "Record the professional discussion before approving" in response.get_data(
        as_text=True)
    assessor.post(f"{url}/discussion", data={
        "held_on": clock.today().isoformat(),
        "notes": "Discussed preparation and risk in depth; sound judgement throughout."})
    assert assessor.post(url, data={"outcome": "approved", "reasons": "Strong."}
                         ).status_code == 302
    with app.app_context():
        record = db.session.scalar(select(AccreditationRecord))
        assert (record.level_key, record.status) == ("foundation", "active")
        assert record.decision.get("discretion") is None


def test_only_an_independent_assessor_records_the_discussion(app, people, make_assessor):
    with app.app_context():
        application = Application(applicant_id=people.practitioner.id, level_key="foundation",
                                  route="standard", snapshot={"results": []},
                                  standard_version_id=_version())
        db.session.add(application)
        db.session.commit()
        application_id = application.id
    make_assessor(people.assessor)
    response = login_as(app, people.assessor).post(
        f"/accreditation/applications/{application_id}/discussion",
        data={"held_on": "2026-01-01", "notes": "x"})
    assert response.status_code == 403  # a standard-route application has no discussion
    assert login_as(app, people.practitioner).post(
        f"/accreditation/applications/{application_id}/discussion",
        data={"held_on": "2026-01-01", "notes": "x"}).status_code == 403


def _version():
    from lms.accreditation.standard_versions import current_standard_version
    from lms.accreditation.standards import load_standards
    return current_standard_version(load_standards()).id


def test_the_demo_shows_each_route(app, runner):
    from sqlalchemy import func

    from lms.accreditation.models import CpdAudit, IndemnityInsurance, Observation
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        def count(model, *where):
            return db.session.scalar(select(func.count()).select_from(model).where(*where))
        assert count(Observation) == 3
        assert count(PortfolioItem, PortfolioItem.kind == "reference",
                     PortfolioItem.confirmed_at.is_not(None)) == 1
        assert count(IndemnityInsurance) == 1
        assert count(CpdAudit) >= 1
        assert count(Application, Application.discretion_reason.is_not(None)) >= 1
