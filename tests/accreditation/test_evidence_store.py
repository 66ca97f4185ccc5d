"""Issue 11: evidence files behind a small storage interface: the local folder by default,
an S3-compatible bucket when LMS_EVIDENCE_STORE=s3://bucket/prefix (tested against moto's
in-process S3), the same uploads, downloads and retention through either."""

import pytest
from moto import mock_aws
from sqlalchemy import select

from lms.accreditation import storage
from lms.accreditation.models import EvidenceFile
from lms.accreditation.storage import LocalStore, S3Store, StoreError, store_from_config
from lms.extensions import db
from tests.accreditation.test_evidence_files import PNG, _item, upload
from tests.helpers import login_as

BUCKET = "evidence-bucket"


@pytest.fixture
def s3(app, monkeypatch):
    """A moto S3 bucket and the app configured to store evidence in it."""
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "eu-west-2")):
        monkeypatch.setenv(name, value)
    with mock_aws():
        monkeypatch.setitem(app.config, "EVIDENCE_STORE", f"s3://{BUCKET}/lms/evidence")
        monkeypatch.setitem(app.extensions, storage.S3_CLIENTS_KEY, {})
        with app.app_context():
            client = store_from_config(app).client
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={
            "LocationConstraint": "eu-west-2"})
        yield client


def _objects(client):
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_the_local_folder_is_the_default(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_STORE", "")
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "files"))
    store = store_from_config(app)
    assert isinstance(store, LocalStore)
    store.put("abc123", b"data", "image/png")
    assert (tmp_path / "files" / "abc123").read_bytes() == b"data"
    assert store.get("abc123") == b"data"
    store.delete("abc123")
    store.delete("abc123")  # already gone: not an error
    with pytest.raises(StoreError):
        store.get("../outside")


@pytest.mark.parametrize("url", ["s3://", "https://bucket/prefix", "bucket/prefix"])
def test_a_malformed_store_address_is_refused(app, monkeypatch, url):
    monkeypatch.setitem(app.config, "EVIDENCE_STORE", url)
    with pytest.raises(StoreError, match="s3://bucket/prefix"):
        store_from_config(app)


def test_an_endpoint_url_points_the_client_at_an_s3_compatible_service(app, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-2")
    monkeypatch.setitem(app.config, "EVIDENCE_STORE", "s3://rj-files")
    monkeypatch.setitem(app.config, "EVIDENCE_S3_ENDPOINT_URL", "https://objects.example.org")
    monkeypatch.setitem(app.extensions, storage.S3_CLIENTS_KEY, {})
    store = store_from_config(app)
    assert isinstance(store, S3Store)
    assert (store.bucket, store.prefix) == ("rj-files", "")
    assert store.client.meta.endpoint_url == "https://objects.example.org"


def test_upload_download_and_retention_through_s3(app, people, s3):
    client = login_as(app, people.practitioner)
    item_id = _item(app, client)
    assert "File added." in upload(client, item_id, "scan.png", PNG)
    with app.app_context():
        stored = db.session.scalar(select(EvidenceFile))
        key = stored.storage_key
    assert _objects(s3) == [f"lms/evidence/{key}"]
    head = s3.head_object(Bucket=BUCKET, Key=f"lms/evidence/{key}")
    assert head["ContentType"] == "image/png"
    response = client.get(f"/accreditation/files/{stored.id}")
    assert response.status_code == 200
    assert response.data == PNG
    # deleting the row removes the object only once the transaction commits
    with app.app_context():
        from lms.accreditation import files
        files.discard([db.session.get(EvidenceFile, stored.id)])
        assert _objects(s3) == [f"lms/evidence/{key}"]
        db.session.rollback()
        assert _objects(s3) == [f"lms/evidence/{key}"]
        files.discard([db.session.get(EvidenceFile, stored.id)])
        db.session.commit()
    assert _objects(s3) == []
    assert client.get(f"/accreditation/files/{stored.id}").status_code == 404


def test_a_missing_object_reads_as_a_missing_file(app, s3):
    with app.app_context():
        store = store_from_config(app)
        with pytest.raises(FileNotFoundError):
            store.get("not-there")


def test_a_store_failing_to_delete_after_commit_is_logged_not_raised(app, monkeypatch,
                                                                      caplog):
    class Unreachable(LocalStore):
        def delete(self, key):
            raise ConnectionError("store unreachable")

    monkeypatch.setitem(app.extensions, storage.EXTENSION_KEY, Unreachable(app.instance_path))
    with app.app_context():
        storage.discard_after_commit(db.session(), ["a" * 40])
        db.session.commit()  # the transaction stands; the orphan is reported
    assert f"evidence object {'a' * 40} could not be deleted" in caplog.text
