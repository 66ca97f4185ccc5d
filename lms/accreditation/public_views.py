"""Public proof, no sign-in: verification page and API, pasted credentials, signing keys,
and the register of practitioners who chose to be listed."""

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms import access
from lms.accreditation import register as register_query
from lms.accreditation.credentials import InvalidCredential, verify_credential
from lms.accreditation.forms import PasteCredentialForm, RegisterSearchForm
from lms.accreditation.issuing import keyring
from lms.accreditation.models import AccreditationRecord
from lms.extensions import db, limiter
from lms.schemes.models import REGIONS, Scheme

bp = Blueprint("public", __name__)
IDENTIFIER_MAX = 24


def _find(public_id: str) -> AccreditationRecord | None:
    if len(public_id) > IDENTIFIER_MAX:
        return None
    return db.session.scalar(
        select(AccreditationRecord).where(AccreditationRecord.public_id == public_id.upper())
        .options(selectinload(AccreditationRecord.holder)))


def public_facts(record: AccreditationRecord) -> dict:
    """What anyone may know: no case data, no contact details."""
    return {"identifier": record.public_id, "holder": record.holder_name,
            "level": record.level_name, "status": record.status,
            "valid": record.valid, "issued_on": record.issued_on.isoformat(),
            "expires_on": record.expires_on.isoformat(),
            "issuer": current_app.config["ISSUER_NAME"]}


@bp.route("/verify/<public_id>")
@access.public
def verify(public_id):
    record = _find(public_id)
    status = 200 if record else 404
    return render_template("accreditation/verify.html", record=record, public_id=public_id,
                           facts=public_facts(record) if record else None,
                           form=PasteCredentialForm(formdata=None)), status


@bp.route("/verify", methods=["GET", "POST"])
@access.public
def verify_pasted():
    form = PasteCredentialForm()
    outcome = None
    if form.validate_on_submit():
        outcome = _check_token(form.token.data.strip())
        if outcome.get("error"):
            form.token.errors.append(outcome["error"])
    return render_template("accreditation/verify_paste.html", form=form, outcome=outcome)


def _check_token(token: str) -> dict:
    try:
        verified = verify_credential(token, keyring())
    except InvalidCredential as problem:
        return {"error": f"This is not a genuine credential from this issuer: {problem.reason}."}
    public_id = verified.credential_id.rstrip("/").rsplit("/", 1)[-1]
    record = _find(public_id)
    return {"verified": verified, "record": record,
            "facts": public_facts(record) if record else None}


@bp.route("/api/v1/verify/<public_id>")
@access.public
def api_verify(public_id):
    record = _find(public_id)
    if record is None:
        return {"identifier": public_id, "found": False,
                "message": "No accreditation has this identifier."}, 404
    return {"found": True, **public_facts(record)}


@bp.route("/.well-known/jwks.json")
@access.public
def jwks():
    return keyring().jwks()


def _register_limit():
    return current_app.config["REGISTER_RATE_LIMIT"]


@bp.route("/register")
@access.public
@limiter.limit(_register_limit)
def register():
    form = RegisterSearchForm(formdata=request.args)
    form.validate()
    query = register_query.search(q=form.q.data or "", scheme=form.scheme.data or "",
                                  level=form.level.data or "", region=form.region.data or "",
                                  status=form.status.data or "")
    page = db.paginate(query, per_page=25, error_out=False)
    schemes = db.session.scalars(select(Scheme.name).order_by(Scheme.name)).all()
    return render_template("accreditation/register.html", form=form, page=page,
                           schemes=schemes, regions=REGIONS,
                           levels=register_query.level_names())
