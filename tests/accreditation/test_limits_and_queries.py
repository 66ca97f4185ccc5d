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
