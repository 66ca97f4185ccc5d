import re

from lms.extensions import limiter
from tests.helpers import login_as


def test_the_register_is_rate_limited(app, client, monkeypatch):
    # The suite's limits are too high to reach; lower this one for the test.
    monkeypatch.setitem(app.config, "REGISTER_RATE_LIMIT", "2 per minute")
    limiter.reset()
    try:
        assert [client.get("/register").status_code for _ in range(3)] == [200, 200, 429]
        assert "Too many requests" in client.get("/register").get_data(as_text=True)
    finally:
        limiter.reset()


def test_pathway_gathers_evidence_in_a_fixed_number_of_queries(app, people, give_evidence,
                                                               count_queries):
    client = login_as(app, people.practitioner)

    def measure():
        with count_queries() as counter:
            assert client.get("/accreditation/pathway").status_code == 200
        return counter.count

    give_evidence(people.practitioner, people.supervisor, records=1)
    small = measure()
    give_evidence(people.practitioner, people.supervisor, courses=(), records=25, sensitive=5,
                  cpd_hours=3, attestations=("indemnity_insurance",))
    assert measure() == small


def test_pathway_lists_applications_without_their_evidence_or_standards_text(
        app, people, count_queries):
    """Applications under two versions of the standards: one query lists them with their
    level names, never reading the frozen evidence or a version's whole text."""
    from lms.accreditation.models import Application, ApplicationStatus, StandardVersion
    from lms.accreditation.standard_versions import current_standard_version
    from lms.accreditation.standards import load_standards
    from lms.extensions import db

    with app.app_context():
        current = current_standard_version(load_standards())
        earlier = StandardVersion(content_hash="e" * 64, content={"levels": {}},
                                  levels={"foundation": {"name": "Foundation (2025)"}})
        db.session.add(earlier)
        db.session.flush()
        for version, level, status, reasons in (
                (earlier, "foundation", ApplicationStatus.FURTHER_WORK, "More practice."),
                (current, "intermediate", ApplicationStatus.SUBMITTED, None)):
            db.session.add(Application(applicant_id=people.practitioner.id, level_key=level,
                                       standard_version_id=version.id, status=status,
                                       reasons=reasons, snapshot={"results": []}))
        db.session.commit()
    client = login_as(app, people.practitioner)
    client.get("/accreditation/pathway")
    with count_queries() as counter:
        page = client.get("/accreditation/pathway").get_data(as_text=True)
    assert "Foundation (2025): further work needed" in page
    assert "More practice." in page
    assert "application waiting" in page  # the intermediate level's badge
    read = " ".join(counter.statements)
    assert "applications.snapshot" not in read
    assert "standard_versions.content" not in read
    assert sum("FROM applications" in s for s in counter.statements) == 1
    assert not any(s.lstrip().startswith("SELECT standard_versions") for s in counter.statements)


def test_pathway_lists_records_without_the_decision_each_keeps(app, people, count_queries):
    from tests.accreditation.test_rules_over_time import hold

    hold(app, people.practitioner, "foundation", expires_in_days=300)
    client = login_as(app, people.practitioner)
    client.get("/accreditation/pathway")
    with count_queries() as counter:
        page = client.get("/accreditation/pathway").get_data(as_text=True)
    # the record listed with its level, status and number, and its level marked held
    assert re.search(r'/accreditation/records/TEST-\d{4}-FOUN-0300">Foundation practitioner'
                     r'</a> <span class="badge">active</span>', page)
    assert '<span class="badge">held</span>' in page
    [records] = [s for s in counter.statements if "FROM accreditation_records" in s
                 and "ORDER BY accreditation_records.issued_on DESC" in s]
    assert "accreditation_records.decision" not in records


def test_one_persons_evidence_is_asked_for_by_their_id_alone(app, people, give_evidence,
                                                            count_queries):
    """A pathway asks for one person's evidence by `= id`, not as a list of people
    (PostgreSQL would plan a list afresh on every run), and finds exactly what the
    several-people form finds for them."""
    from lms.accreditation.evidence import gather, gather_many

    give_evidence(people.practitioner, people.supervisor, records=3, sensitive=1)
    give_evidence(people.supervisor, people.practitioner, records=2, courses=("foundation",))
    with app.app_context():
        with count_queries() as counter:
            alone = gather(people.practitioner.id)
        [statement] = counter.statements
        together = gather_many([people.supervisor.id, people.practitioner.id])
    assert not re.search(r"_id IN \(|= ANY", statement)
    assert "attestations.user_id = " in statement
    assert alone == together[people.practitioner.id]
    assert len(alone.practice) == 4
    assert alone.supervisees
    assert together[people.supervisor.id] != alone


def test_the_evidence_statement_binds_only_the_people(app):
    """Its kinds, statuses and bits are written into the statement, so the one-person
    form stays within the 4,096 bytes up to which psycopg keeps a statement's converted
    form (it was 4,241 with them bound) and nothing else is processed on each run."""
    from psycopg._queries import MAX_CACHED_STATEMENT_LENGTH

    from lms.accreditation.evidence import _evidence_query
    from lms.extensions import db

    with app.app_context():
        dialect = db.engine.dialect
        for one, names in ((True, {"id"}), (False, {"ids"})):
            compiled = _evidence_query(dialect.name, one).compile(dialect=dialect)
            assert set(compiled.params) == names
        one_person = str(_evidence_query(dialect.name, True).compile(dialect=dialect))
    assert len(one_person.encode()) <= MAX_CACHED_STATEMENT_LENGTH
    assert "status IN ('active', 'expiring')" in one_person
    assert "'signed off'" in one_person
