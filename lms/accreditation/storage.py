"""Where uploaded evidence files' bytes live, behind one small interface: a folder on local
disk (the default) or an S3-compatible object store.

Configured by LMS_EVIDENCE_STORE: unset, the local folder (LMS_EVIDENCE_DIR, by default
instance/evidence, outside the web root); `s3://bucket/prefix` for an object store, with
LMS_EVIDENCE_S3_ENDPOINT_URL for S3-compatible services (MinIO, Ceph, a UK cloud) and the
usual AWS_* variables (or an instance role) for credentials. The database keeps only the
random key each file is stored under.

Bytes leave the store only when the database row that points at them is gone for good:
`discard_after_commit` deletes them once the transaction that removed the rows commits,
so a rolled-back request never loses a file it still refers to."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

EXTENSION_KEY = "lms.evidence_store"
S3_CLIENTS_KEY = "lms.evidence_s3_clients"
_PENDING = "lms.evidence_keys_to_delete"


class StoreError(Exception):
    """The store is misconfigured or unreachable."""


class EvidenceStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None:
        """Remove the object; an object already gone is not an error."""


class LocalStore:
    """Files in one folder, named by their random keys."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise StoreError("not a storage key")
        return self.root / key

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self._path(key).write_bytes(data)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3Store:
    """Objects under `prefix` in an S3 bucket (any S3-compatible service)."""

    def __init__(self, client: Any, bucket: str, prefix: str = ""):
        self.client, self.bucket = client, bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def _key(self, key: str) -> str:
        return self.prefix + key

    def put(self, key: str, data: bytes, content_type: str) -> None:
        # Encryption at rest is the bucket's default encryption (README, production notes):
        # asking for it per object fails on S3-compatible services without a KMS.
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data,
                               ContentType=content_type)

    def get(self, key: str) -> bytes:
        try:
            found = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except self.client.exceptions.NoSuchKey as err:
            raise FileNotFoundError(key) from err
        return found["Body"].read()

    def delete(self, key: str) -> None:
        # S3 answers a delete of a missing object with success too.
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))


def store_from_config(app: Flask) -> EvidenceStore:
    """The store the configuration asks for (see the module docstring)."""
    url = app.config.get("EVIDENCE_STORE") or ""
    if not url:
        root = app.config.get("EVIDENCE_DIR") or Path(app.instance_path) / "evidence"
        return LocalStore(Path(root))
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise StoreError("LMS_EVIDENCE_STORE must look like s3://bucket/prefix (or be unset "
                         "for the local folder).")
    cache = app.extensions.setdefault(S3_CLIENTS_KEY, {})
    endpoint = app.config.get("EVIDENCE_S3_ENDPOINT_URL") or None
    if endpoint not in cache:  # a client is costly to make and safe to share
        cache[endpoint] = _s3_client(endpoint)
    return S3Store(cache[endpoint], parts.netloc, parts.path)


def _s3_client(endpoint: str | None) -> Any:
    try:
        import boto3
    except ImportError as err:
        raise StoreError("LMS_EVIDENCE_STORE names an S3 bucket but boto3 is not installed "
                         "(pip install 'restorative-lms[s3]').") from err
    return boto3.client("s3", endpoint_url=endpoint)


def evidence_store() -> EvidenceStore:
    """The store for this request: one a test put in app.extensions[EXTENSION_KEY], else
    the configured one."""
    app = current_app
    return app.extensions.get(EXTENSION_KEY) or store_from_config(app)


def discard_after_commit(session: Session, keys: list[str]) -> None:
    """Delete these objects from the store once `session` commits (never on rollback)."""
    if keys:
        session.info.setdefault(_PENDING, []).extend(keys)


@event.listens_for(Session, "after_commit")
def _delete_discarded(session: Session) -> None:
    if session.get_nested_transaction() is not None:  # a savepoint released: not yet
        return
    keys = session.info.pop(_PENDING, [])
    if keys:
        store = evidence_store()
        for key in keys:
            try:
                store.delete(key)
            except Exception:  # the rows are gone for good: log the orphan, carry on
                current_app.logger.exception("evidence object %s could not be deleted", key)


@event.listens_for(Session, "after_soft_rollback")
def _keep_discarded(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:  # the whole transaction, not a savepoint
        session.info.pop(_PENDING, None)
