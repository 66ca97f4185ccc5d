import csv
import html
import io
import json
from datetime import timedelta

from jwcrypto import jwk, jwt
from sqlalchemy import func, select

from lms import clock
from lms.accreditation import lifecycle
from lms.accreditation.models import AccreditationRecord
from lms.auth.models import User
from lms.extensions import db
from lms.notify.models import Notification
from tests.accreditation.test_accreditation_flow import _record, issue
from tests.helpers import login_as


def _set(app, record_id, **values):
    with app.app_context():
        record = db.session.get(AccreditationRecord, record_id)
        for key, value in values.items():
            setattr(record, key, value)
        db.session.commit()


def _direct_record(app, holder_id, level_key, level_name, public_id, expires_in_days,
                   version_from):
    today = clock.today()
    with app.app_context():
        version_id = db.session.get(AccreditationRecord, version_from).standard_version_id
        record = AccreditationRecord(
            public_id=public_id, holder_id=holder_id, level_key=level_key,
            level_name=level_name, standard_version_id=version_id, issued_on=today,
            expires_on=today + timedelta(days=expires_in_days), status="active", decision={})
        db.session.add(record)
        db.session.commit()
        return record.id


def test_sweep_moves_by_date_cascades_and_is_idempotent(app, people, give_evidence,
                                                        make_assessor, runner):
    issued = issue(app, people, give_evidence, make_assessor)
    holder = people.practitioner.id
    advanced = _direct_record(app, holder, "advanced", "Advanced practitioner",
                              "TEST-ADVA-NCED-0001", 60, issued.id)
    supervisor = _direct_record(app, holder, "case_supervisor", "Case supervisor",
                                "TEST-SUPE-RVIS-0001", 300, issued.id)
    first = runner.invoke(args=["accreditation", "sweep"])
    assert "1 expiring" in first.output
    assert "1 reminders" in first.output
    assert _record(app, id=advanced).status == "expiring"
    second = runner.invoke(args=["accreditation", "sweep"])
    assert "0 expiring, 0 lapsed, 0 cascaded, 0 reminders" in second.output
    _set(app, advanced, expires_on=clock.today() - timedelta(days=1))
    third = runner.invoke(args=["accreditation", "sweep"])
    assert "1 lapsed" in third.output
    assert "1 cascaded" in third.output
    assert _record(app, id=advanced).status == "lapsed"
    assert _record(app, id=supervisor).status == "lapsed"
    assert _record(app, id=issued.id).status == "active"
    assert "0 expiring, 0 lapsed, 0 cascaded, 0 reminders" in runner.invoke(
        args=["accreditation", "sweep"]).output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.dedupe_key.like("accreditation-reminder:%"))) == 1


def test_reminder_at_30_days_is_a_second_reminder(app, people, give_evidence, make_assessor):
    record = issue(app, people, give_evidence, make_assessor)
    today = clock.today()
    _set(app, record.id, expires_on=today + timedelta(days=80))
    with app.app_context():
        lifecycle.sweep(today)
        lifecycle.sweep(today + timedelta(days=55))
        lifecycle.sweep(today + timedelta(days=56))
        db.session.commit()
        keys = db.session.scalars(select(Notification.dedupe_key)).all()
    assert sorted(k.rsplit(":", 1)[1] for k in keys if k and "reminder" in k) == ["30", "90"]


def test_verification_page_and_api_show_status_without_case_data(app, people, give_evidence,
                                                                  make_assessor, client):
    record = issue(app, people, give_evidence, make_assessor)
    page = client.get(f"/verify/{record.public_id}").get_data(as_text=True)
    assert "✓ Valid" in page
    assert "Ana Practitioner" in page
    assert "Foundation practitioner" in page
    assert "RJ-T-" not in page
    assert "@" not in page
    api = client.get(f"/api/v1/verify/{record.public_id}").json
    assert api["status"] == "active"
    assert api["valid"] is True
    assert set(api) == {"found", "identifier", "holder", "level", "status", "valid",
                        "verdict", "status_since", "issued_on", "expires_on", "issuer",
                        "checked_at"}
    login_as(app, people.admin).post(f"/accreditation/records/{record.public_id}/revoke",
                                  data={"reason": "Breach of the code of practice."})
    page = client.get(f"/verify/{record.public_id}").get_data(as_text=True)
    today = clock.today()
    assert "✗ Not valid" in page
    assert f"Not valid: accreditation revoked on {today.day} {today:%B %Y}." in page
    assert "Checked at" in page
    assert "Breach" not in page
    api = client.get(f"/api/v1/verify/{record.public_id}").json
    assert api["status"] == "revoked"
    assert api["valid"] is False
    assert api["status_since"] == today.isoformat()
    assert api["checked_at"]


def test_unknown_identifiers_get_a_clear_answer(client):
    response = client.get("/verify/NOPE-NOPE-NOPE-NOPE")
    assert response.status_code == 404
    assert "No accreditation has the certificate number" in \
        response.get_data(as_text=True)
    assert client.get("/verify/" + "x" * 500).status_code == 404
    api = client.get("/api/v1/verify/NOPE")
    assert api.status_code == 404
    assert api.json["found"] is False


def test_credential_verifies_with_jwcrypto_against_published_jwks(app, people, give_evidence,
                                                                  make_assessor, client):
    record = issue(app, people, give_evidence, make_assessor)
    token = login_as(app, people.practitioner).get(
        f"/accreditation/records/{record.public_id}/credential.jwt").get_data(as_text=True)
    keyset = jwk.JWKSet.from_json(json.dumps(client.get("/.well-known/jwks.json").json))
    credential = json.loads(jwt.JWT(jwt=token, key=keyset).claims)
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["credentialSubject"]["achievement"]["name"] == "Foundation practitioner"
    assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert credential["validUntil"].startswith(record.expires_on.isoformat())
    # the paste form: genuine, then revoked, then tampered
    page = client.post("/verify", data={"token": token}).get_data(as_text=True)
    assert "The signature is genuine." in page
    assert "✓ Valid" in page
    login_as(app, people.admin).post(f"/accreditation/records/{record.public_id}/revoke",
                                  data={"reason": "Breach."})
    page = client.post("/verify", data={"token": token}).get_data(as_text=True)
    assert "✗ Not valid" in page
    assert "accreditation revoked on" in page
    assert "Checked at" in page
    header, payload, signature = token.split(".")
    tampered = ".".join([header, payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB"),
                         signature])
    page = client.post("/verify", data={"token": tampered}).get_data(as_text=True)
    assert "This is not a genuine credential" in page
    for junk in ["", "hello", "a.b.c", "x" * 30_000]:
        response = client.post("/verify", data={"token": junk})
        assert response.status_code == 200


def test_old_credentials_verify_after_key_rotation(app, people, give_evidence, make_assessor,
                                                   runner, client):
    record = issue(app, people, give_evidence, make_assessor)
    holder = login_as(app, people.practitioner)
    old_token = holder.get(f"/accreditation/records/{record.public_id}/credential.jwt"
                           ).get_data(as_text=True)
    assert "new signing key" in runner.invoke(args=["accreditation", "rotate-key"]).output
    assert len(client.get("/.well-known/jwks.json").json["keys"]) == 2
    page = client.post("/verify", data={"token": old_token}).get_data(as_text=True)
    assert "The signature is genuine." in page


def test_register_shows_only_opted_in_and_filters(app, people, give_evidence, make_assessor,
                                                  client, count_queries):
    record = issue(app, people, give_evidence, make_assessor)
    assert "Ana Practitioner" not in client.get("/register").get_data(as_text=True)
    with app.app_context():
        db.session.get(User, people.practitioner.id).listed_publicly = True
        db.session.commit()
    page = client.get("/register").get_data(as_text=True)
    assert "Ana Practitioner" in page
    assert "HMP Accredit" in page
    assert "Wales" in page
    for query, found in [({"q": "ana"}, True), ({"q": record.public_id}, True),
                         ({"q": "zed"}, False), ({"level": "foundation"}, True),
                         ({"level": "advanced"}, False), ({"region": "Wales"}, True),
                         ({"region": "London"}, False), ({"scheme": "accredit"}, True),
                         ({"status": "active"}, True), ({"status": "lapsed"}, False)]:
        text = client.get("/register", query_string=query).get_data(as_text=True)
        assert ("Ana Practitioner" in text) is found, query
    login_as(app, people.admin).post(f"/accreditation/records/{record.public_id}/revoke",
                                  data={"reason": "Breach."})
    assert "Ana Practitioner" not in client.get("/register").get_data(as_text=True)


def _listed_records(app, scheme, n, start):
    from lms.accreditation.models import StandardVersion
    with app.app_context():
        # a record's level is one of its standards version's levels, as at issue
        version = db.session.scalar(select(StandardVersion)) or StandardVersion(
            content_hash="x" * 64, levels={"foundation": {"name": "Foundation practitioner",
                                                          "validity_months": 24,
                                                          "depends_on": []}})
        today = clock.today()
        for k in range(start, start + n):
            user = User(username=f"listed{k}", display_name=f"Listed {k}", listed_publicly=True)
            db.session.add(user)
            db.session.flush()
            db.session.add(AccreditationRecord(
                public_id=f"LIST-{k:04d}-AAAA-BBBB", holder_id=user.id, level_key="foundation",
                level_name="Foundation practitioner", standard_version=version,
                scheme_id=scheme.id, issued_on=today, expires_on=today + timedelta(days=300),
                status="active", decision={}))
        db.session.commit()


def test_register_and_verification_use_a_fixed_number_of_queries(app, people, client,
                                                                  count_queries):
    def measure(url):
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    _listed_records(app, people.scheme, 3, 0)
    small = (measure("/register"), measure("/verify/LIST-0001-AAAA-BBBB"),
             measure("/api/v1/verify/LIST-0001-AAAA-BBBB"))
    _listed_records(app, people.scheme, 40, 3)
    large = (measure("/register"), measure("/verify/LIST-0001-AAAA-BBBB"),
             measure("/api/v1/verify/LIST-0001-AAAA-BBBB"))
    assert small == large
    assert large[2] == 1  # the API: the record with its holder and status history, joined
    page = client.get("/register").get_data(as_text=True)
    assert "Page 1 of 2" in page
    # the level filter offers the standards' levels, read from their versions (no scan
    # of the records)
    assert '<option value="foundation">Foundation practitioner</option>' in page


def test_the_register_reads_its_page_and_total_in_one_query(app, people, client,
                                                             count_queries):
    _listed_records(app, people.scheme, 30, 0)
    with count_queries() as counter:
        first = client.get("/register", query_string={"q": "listed"}).get_data(as_text=True)
    assert "30 results." in first
    assert "Page 1 of 2" in first
    assert first.count("/verify/LIST-") == 25
    assert ">Listed 9</a>" not in first
    reads = [s for s in counter.statements if "accreditation_records" in s]
    assert len(reads) == 1
    assert "OVER" in reads[0].upper()
    second = client.get("/register", query_string={"q": "listed", "page": 2}).get_data(
        as_text=True)
    assert "30 results." in second
    assert "Page 2 of 2" in second
    assert ">Listed 9</a>" in second
    # past the last page: no row carries the total, so it is counted; the last page shows
    past = client.get("/register", query_string={"q": "listed", "page": 9}).get_data(
        as_text=True)
    assert "30 results." in past
    assert "Page 2 of 2" in past
    none = client.get("/register", query_string={"q": "nobody"}).get_data(as_text=True)
    assert "0 results." in none


def test_the_register_shows_each_record_in_the_page_language(app, people, client):
    from lms.accreditation.standards import load_standards

    _listed_records(app, people.scheme, 2, 0)
    english = client.get("/register", query_string={"q": "listed"}).get_data(as_text=True)
    # the name kept at issue, the status word, the scheme and its region, the verify link
    assert ('<a href="/verify/LIST-0001-AAAA-BBBB">Listed 1</a></td>'
            "<td>Foundation practitioner</td>") in english
    assert "<td>HMP Accredit</td><td>Wales</td><td>active</td>" in english
    client.post("/language", data={"language": "cy", "next": "/register"})
    welsh = client.get("/register", query_string={"q": "listed"}).get_data(as_text=True)
    with app.app_context():
        welsh_name = load_standards().levels["foundation"].name_cy
    assert welsh_name
    assert f">Listed 1</a></td><td>{html.escape(welsh_name)}</td>" in welsh
    assert "<td>gweithredol</td>" in welsh
    assert "<td>active</td>" not in welsh


def test_the_register_suggests_every_scheme_once_and_a_new_one_at_once(app, people, client,
                                                                        make_scheme):
    make_scheme(name='Youth "Bridges" & <Co>', slug="youth-bridges")
    make_scheme(name="anvil house", slug="anvil-house")
    page = client.get("/register").get_data(as_text=True)
    options = page[page.index('<datalist id="scheme-list">'):page.index("</datalist>")]
    with app.app_context():
        from lms.schemes.models import Scheme

        names = db.session.scalars(select(Scheme.name)).all()
    assert options.count("<option ") == len(names)
    # escaped, in alphabetical order whatever the case
    assert '<option value="Youth &#34;Bridges&#34; &amp; &lt;Co&gt;">' in options
    assert options.index('value="anvil house"') < options.index(f'value="{people.scheme.name}"')
    make_scheme(name="Zephyr Court", slug="zephyr-court")
    again = client.get("/register").get_data(as_text=True)
    assert '<option value="Zephyr Court">' in again
    assert again.count("<option value=") == page.count("<option value=") + 1


def test_register_finds_names_in_either_order_and_by_part_and_filters_by_sector(
        app, people, give_evidence, make_assessor, client):
    record = issue(app, people, give_evidence, make_assessor)
    with app.app_context():
        db.session.get(User, people.practitioner.id).listed_publicly = True
        db.session.commit()
    compact = record.public_id.replace("-", "").lower()
    for query, found in [({"q": "Practitioner Ana"}, True), ({"q": "prac an"}, True),
                         ({"q": "ana smith"}, False), ({"q": compact}, True),
                         ({"q": "100%"}, False), ({"q": "_"}, False),
                         ({"sector": "prison"}, True), ({"sector": "school"}, False),
                         ({"sector": "not a sector"}, True),
                         ({"q": "ana", "sector": "prison", "region": "Wales",
                           "level": "foundation", "status": "active"}, True)]:
        response = client.get("/register", query_string=query)
        assert response.status_code == 200
        assert ("Ana Practitioner" in response.get_data(as_text=True)) is found, query
    page = client.get("/register").get_data(as_text=True)
    assert "<option>prison</option>" in page
    assert "RJ-T-" not in page


def test_employers_check_many_certificate_numbers_at_once(app, people, give_evidence,
                                                          make_assessor, client,
                                                          count_queries):
    from lms.audit.models import AuditEvent

    record = issue(app, people, give_evidence, make_assessor)
    _listed_records(app, people.scheme, 3, 0)
    login_as(app, people.admin).post("/accreditation/records/LIST-0001-AAAA-BBBB/suspend",
                                  data={"reason": "Complaint."})
    with app.app_context():
        events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    pasted = "\n".join([record.public_id.replace("-", "").lower(), "LIST-0001-AAAA-BBBB",
                        "NOPE-NOPE-NOPE-NOPE"])
    with count_queries() as counter:
        page = client.post("/verify/bulk", data={"numbers": pasted})
    assert page.status_code == 200
    assert counter.count <= 6
    text = page.get_data(as_text=True)
    assert "Ana Practitioner" in text
    assert "Listed 1" in text
    assert "Checked at" in text
    assert "Not valid: accreditation suspended since" in text
    assert "No accreditation has this certificate number." in text
    assert "2 of 3 found" in text
    assert "Complaint" not in text
    upload = io.BytesIO(f"certificate number\n{record.public_id}\n,LIST-0002-AAAA-BBBB\n"
                        .encode())
    response = client.post("/verify/bulk", data={"file": (upload, "staff.csv"),
                                                  "format": "csv"},
                           content_type="multipart/form-data")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["entered", "certificate number", "found"]
    assert [row[1] for row in rows[1:]] == [record.public_id, "LIST-0002-AAAA-BBBB"]
    assert rows[1][6] == "yes"
    assert rows[1][9]
    with app.app_context():  # nothing stored about who asked or what
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    too_many = "\n".join(f"AAAA-BBBB-CCCC-{n:04d}" for n in range(501))
    text = client.post("/verify/bulk", data={"numbers": too_many}).get_data(as_text=True)
    assert "Check at most 500 certificate numbers at a time." in text
    huge = io.BytesIO(b'"' + b"x" * 200_000 + b'"\n')
    text = client.post("/verify/bulk", data={"file": (huge, "x.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "The file cannot be read as CSV." in text
    text = client.post("/verify/bulk", data={"numbers": ""}).get_data(as_text=True)
    assert "Enter at least one certificate number" in text
    bad = client.post("/verify/bulk", data={"file": (io.BytesIO(b"\xff\xfe\xfa"), "x.csv")},
                      content_type="multipart/form-data").get_data(as_text=True)
    assert "The file is not UTF-8 text" in bad


def test_bulk_check_is_rate_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "BULK_CHECK_RATE_LIMIT", "2 per minute")
    statuses = [client.post("/verify/bulk", data={"numbers": "AAAA"},
                            environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_limits_are_checked_by_their_routes_and_not_before_every_request(app, client,
                                                                         monkeypatch):
    """Flask-Limiter's check before every request is taken out (this app has only limits
    on routes, which their decorators check); a limited route still counts, refuses and
    says its limit in the headers, and an app given default limits keeps the check."""
    from flask import Flask

    from lms import _limits_on_their_routes_only
    from lms.extensions import limiter
    assert limiter._check_request_limit not in app.before_request_funcs[None]
    monkeypatch.setitem(app.config, "BULK_CHECK_RATE_LIMIT", "1 per minute")
    first = client.post("/verify/bulk", data={"numbers": "AAAA"},
                        environ_base={"REMOTE_ADDR": "10.9.9.8"})
    assert (first.status_code, first.headers["X-RateLimit-Limit"]) == (200, "1")
    assert first.headers["X-RateLimit-Remaining"] == "0"
    again = client.post("/verify/bulk", data={"numbers": "AAAA"},
                        environ_base={"REMOTE_ADDR": "10.9.9.8"})
    assert again.status_code == 429
    for setting in ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION"):
        other = Flask(__name__)
        other.config[setting] = "100 per minute"
        other.before_request(limiter._check_request_limit)
        _limits_on_their_routes_only(other)
        assert other.before_request_funcs[None] == [limiter._check_request_limit]


def test_verification_page_and_bulk_csv_in_welsh(app, people, give_evidence, make_assessor,
                                                 client):
    """The public check follows the reader's language (here the browser's); the record's
    data (name, level) stays as issued."""
    record = issue(app, people, give_evidence, make_assessor)
    welsh = {"Accept-Language": "cy"}
    page = html.unescape(client.get(f"/verify/{record.public_id}",
                                    headers=welsh).get_data(as_text=True))
    assert "<h1>Gwirio achrediad</h1>" in page
    assert "✓ Dilys" in page
    assert "Dilys: wedi'i achredu tan" in page
    assert "<dt>Ymarferydd</dt><dd>Ana Practitioner</dd>" in page
    assert "gweithredol" in page
    assert "Check an accreditation" not in page
    missing = html.unescape(client.get("/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ",
                                       headers=welsh).get_data(as_text=True))
    assert "Nid oes achrediad â'r rhif tystysgrif <code>ZZZZ-ZZZZ-ZZZZ-ZZZZ</code>" in missing

    rows = list(csv.reader(io.StringIO(client.post(
        "/verify/bulk", headers=welsh,
        data={"numbers": f"{record.public_id}\nNOPE", "format": "csv"}).get_data(
            as_text=True))))
    assert rows[0][:3] == ["a roddwyd", "rhif y dystysgrif", "wedi'i ganfod"]
    assert rows[1][2] == "ie"
    assert rows[2][2] == "na"
    assert rows[2][8] == "Nid oes achrediad â'r rhif tystysgrif hwn."
