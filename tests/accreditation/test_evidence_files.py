"""Uploaded evidence files: type and size limits, the privacy guard on their text, the
redaction confirmation, who may download them, and freezing with the application."""

import io
import zipfile

import pytest
from sqlalchemy import select

from lms.accreditation.models import EvidenceFile, PortfolioItem
from lms.extensions import db
from tests.helpers import login_as

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", f"<w:document><w:body><w:p><w:t>{text}</w:t>"
                                              "</w:p></w:body></w:document>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    return tmp_path / "evidence"


def _item(app, client):
    client.post("/accreditation/portfolio/items", data={
        "kind": "work_product", "title": "Risk assessment", "summary": "A template.",
        "is_risk_assessment": "y"})
    with app.app_context():
        return db.session.scalar(select(PortfolioItem.id))


def upload(client, item_id, name, data, redacted=True):
    with client.post(f"/accreditation/portfolio/items/{item_id}/files", data={
            "file": (io.BytesIO(data), name), **({"redacted": "y"} if redacted else {})},
            content_type="multipart/form-data", follow_redirects=True) as response:
        return response.get_data(as_text=True)  # closing it closes the uploaded file


def test_a_refusal_is_shown_next_to_the_items_file_field(app, people):
    client = login_as(app, people.practitioner)
    item_id = _item(app, client)
    response = client.post(f"/accreditation/portfolio/items/{item_id}/files", data={
        "file": (io.BytesIO(PNG), "run.exe"), "redacted": "y"},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert ('<p class="error-message" role="alert">Upload a pdf, docx, png or jpg file.</p>'
            in response.get_data(as_text=True))


def _files(app):
    with app.app_context():
        return db.session.scalars(select(EvidenceFile)).all()


def test_bad_type_too_big_and_disguised_files_are_refused(app, people):
    client = login_as(app, people.practitioner)
    item_id = _item(app, client)
    assert "Upload a pdf, docx, png or jpg file." in upload(client, item_id, "run.exe", PNG)
    assert "not really a PDF file" in upload(client, item_id, "plan.pdf", PNG)
    assert "larger than 4 MB" in upload(client, item_id, "big.png",
                                        PNG + b"\x00" * 4 * 1024 * 1024)
    assert "Confirm that nothing in the file identifies" in upload(
        client, item_id, "photo.png", PNG, redacted=False)
    assert _files(app) == []


def test_identifying_text_in_a_document_is_refused(app, people, evidence_dir):
    client = login_as(app, people.practitioner)
    item_id = _item(app, client)
    page = upload(client, item_id, "notes.docx", docx("Victim lives at SW1A 1AA, phone "
                                                       "07700 900123."))
    assert "postcode" in page.lower() or "phone" in page.lower()
    assert _files(app) == []
    assert "File added." in upload(client, item_id, "plan.docx", docx("Preparation plan: "
                                                                       "meet each party "
                                                                       "separately."))
    stored, = _files(app)
    assert stored.filename == "plan.docx"
    assert stored.redaction_confirmed
    assert (evidence_dir / stored.storage_key).exists()  # outside the web root


def test_only_those_who_may_see_the_application_download(app, people, make_assessor):
    client = login_as(app, people.practitioner)
    item_id = _item(app, client)
    upload(client, item_id, "scan.png", PNG)
    stored, = _files(app)
    url = f"/accreditation/files/{stored.id}"
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == PNG
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert login_as(app, people.lead).get(url).status_code == 200
    assert login_as(app, people.other_lead).get(url).status_code == 404  # another scheme
    assert login_as(app, people.supervisor).get(url).status_code == 404
    make_assessor(people.assessor)
    assert login_as(app, people.assessor).get(url).status_code == 200


def test_files_are_frozen_with_the_application(app, people):
    client = login_as(app, people.practitioner)
    item_id = _item(app, client)
    upload(client, item_id, "scan.png", PNG)
    with app.app_context():
        db.session.get(PortfolioItem, item_id).application_id = None
        from lms.accreditation import portfolio
        from lms.accreditation.models import Application
        from tests.accreditation.test_portfolio_route import _version
        application = Application(applicant_id=people.practitioner.id, level_key="foundation",
                                  route="portfolio", snapshot={"results": []},
                                  standard_version_id=_version())
        db.session.add(application)
        db.session.flush()
        summary = portfolio.attach([db.session.get(PortfolioItem, item_id)], application)
        db.session.commit()
    assert summary[0]["files"][0]["filename"] == "scan.png"
    assert len(summary[0]["files"][0]["sha256"]) == 64
    assert "only to your own items not yet in an application" in upload(
        client, item_id, "late.png", PNG)
    assert len(_files(app)) == 1


def test_an_insurance_document_is_uploaded_with_the_policy(app, people):
    from datetime import timedelta

    from lms import clock
    client = login_as(app, people.practitioner)
    client.post("/accreditation/insurance", data={
        "insurer": "Mutual", "policy_number": "PI-9",
        "expires_on": (clock.today() + timedelta(days=300)).isoformat()})
    with app.app_context():
        from lms.accreditation.models import IndemnityInsurance
        insurance_id = db.session.scalar(select(IndemnityInsurance.id))
    response = client.post(f"/accreditation/insurance/{insurance_id}/files", data={
        "file": (io.BytesIO(PNG), "policy.png"), "redacted": "y"},
        content_type="multipart/form-data", follow_redirects=True)
    assert "Insurance document added." in response.get_data(as_text=True)
    assert "policy.png" in client.get("/accreditation/pathway").get_data(as_text=True)
    stored, = _files(app)
    assert stored.insurance_id == insurance_id
    assert login_as(app, people.other_lead).get(f"/accreditation/files/{stored.id}"
                                             ).status_code == 404
    # nobody adds a document to someone else's policy
    assert login_as(app, people.lead).post(f"/accreditation/insurance/{insurance_id}/files",
                                        data={"file": (io.BytesIO(PNG), "x.png"),
                                              "redacted": "y"},
                                        content_type="multipart/form-data").status_code == 404
