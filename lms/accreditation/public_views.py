"""Public proof, no sign-in: the verification page and API, pasted or posted credentials,
the documents a credential points to (issuer Profile, Achievement, signing keys, status
lists), and the register of practitioners who chose to be listed.

Machine-readable documents are CORS-enabled (any site's verifier may fetch them) and
cacheable; the issuer Profile and Achievement answer HTML to people and JSON-LD to
machines, at the same address (content negotiation).
"""

import functools
import hashlib
import json
from xml.sax.saxutils import escape

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from lms import access, clock, urls
from lms.accreditation import (
    bulk_check,
    data_integrity,
    issuing,
    signing_keys,
    status_list,
    verification,
)
from lms.accreditation import register as register_query
from lms.accreditation.credentials import CONTEXTS, sign_credential
from lms.accreditation.forms import BulkCheckForm, PasteCredentialForm, RegisterSearchForm
from lms.accreditation.standards import load_standards
from lms.csv_export import csv_text
from lms.extensions import csrf, db, limiter
from lms.i18n import gettext as _
from lms.people.importing import decode_upload
from lms.schemes.models import REGIONS

bp = Blueprint("public", __name__)
#: Cache lifetime of the issuer's documents (keys, profile, achievements), seconds.
DOCUMENT_MAX_AGE = 3600
JSON_LD = "application/ld+json"


def public_document(max_age: int):
    """CORS for any origin, a public cache lifetime, and an ETag answered with 304."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            response = current_app.make_response(view(*args, **kwargs))
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers.setdefault("Cache-Control", f"public, max-age={max_age}")
            response.vary.add("Accept")
            if response.status_code == 200 and not response.get_etag()[0]:
                response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32],
                                  weak=True)
            return response.make_conditional(request)

        return wrapped

    return decorator


def _wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", JSON_LD, "application/json"])
    return best == "text/html"


def _json(document: dict, mimetype: str = JSON_LD) -> Response:
    return Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype=mimetype)


# --- verification -------------------------------------------------------------------------

def _verify_limit():
    return current_app.config["REGISTER_RATE_LIMIT"]


@bp.route("/verify/<public_id>")
@access.public
def verify(public_id):
    record = verification.find_record(public_id)
    facts = verification.public_facts(record) if record else None
    return render_template("accreditation/verify.html", record=record, public_id=public_id,
                           facts=facts, form=PasteCredentialForm(formdata=None)), \
        200 if record else 404


def _bulk_limit():
    return current_app.config.get("BULK_CHECK_RATE_LIMIT") or "10 per minute"


@bp.route("/verify/bulk", methods=["GET", "POST"])
@access.public
@limiter.limit(_bulk_limit, methods=["POST"])
def verify_bulk():
    """Check many certificate numbers at once, as a page or a CSV. Nothing is stored."""
    form = BulkCheckForm()
    rows, checked_at = None, clock.utcnow().replace(microsecond=0)
    if form.validate_on_submit():
        text = form.numbers.data or ""
        if form.file.data:
            text = decode_upload(form.file.data.read(current_app.config["MAX_CONTENT_LENGTH"]))
            if text is None:
                form.file.errors.append(_("The file is not UTF-8 text. Save it as CSV UTF-8."))
        values = bulk_check.entries(text) if text is not None else []
        if values is None:
            form.file.errors.append(_("The file cannot be read as CSV."))
        elif text is not None and not values:
            form.numbers.errors.append(_("Enter at least one certificate number, or choose a "
                                         "CSV file."))
        elif len(values) > bulk_check.MAX_ENTRIES:
            form.numbers.errors.append(_("Check at most %(most)s certificate numbers at a time.",
                                         most=f"{bulk_check.MAX_ENTRIES:,}"))
        elif values:
            rows = bulk_check.check(values)
            if request.form.get("format") == "csv":
                body = csv_text(bulk_check.csv_header(),
                                bulk_check.csv_rows(rows, checked_at.isoformat()))
                return Response(body, mimetype="text/csv", headers={
                    "Content-Disposition": "attachment; filename=accreditation-check-"
                                           f"{checked_at:%Y%m%d-%H%M}.csv",
                    "Cache-Control": "no-store"})
    response = current_app.make_response(render_template(
        "accreditation/verify_bulk.html", form=form, rows=rows, checked_at=checked_at,
        max_entries=bulk_check.MAX_ENTRIES))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/credentials/<public_id>/v<int:version>")
@access.public
def credential_version(public_id, version):
    """A credential's id dereferences to the record's current status."""
    record = verification.find_record(public_id)
    if record is None:
        abort(404)
    return redirect(url_for("accreditation.public.verify", public_id=record.public_id))


@bp.route("/verify", methods=["GET", "POST"])
@access.public
@limiter.limit(_verify_limit, methods=["POST"])
def verify_pasted():
    form = PasteCredentialForm()
    outcome = None
    if form.validate_on_submit():
        text = form.token.data.strip()
        record = verification.find_record(text) if len(text) <= 60 else None
        if record is not None:  # a certificate number typed into the same box
            return redirect(url_for("accreditation.public.verify", public_id=record.public_id))
        outcome = verification.check_token(text)
        if outcome.error:
            form.token.errors.append(outcome.reasons[0])
    return render_template("accreditation/verify_paste.html", form=form, outcome=outcome,
                           checked_at=outcome.checked_at if outcome else None)


@bp.route("/api/v1/verify/<public_id>")
@access.public
@public_document(max_age=0)
def api_verify(public_id):
    record = verification.find_record(public_id)
    if record is None:
        return {"identifier": public_id[:60], "found": False,
                "message": _("No accreditation has this identifier."),
                "checked_at": clock.utcnow().replace(microsecond=0).isoformat()}, 404
    return {"found": True, **verification.public_facts(record)}


@bp.route("/api/v1/verify", methods=["POST", "OPTIONS"])
@access.public
@csrf.exempt
@limiter.limit(_verify_limit, methods=["POST"])
def api_verify_credential():
    """Verify a posted credential: the VC-JWT as the body (application/jwt or text), or
    JSON {"credential": "<jwt>"}. Answers signature validity, status and reasons."""
    if request.method == "OPTIONS":
        return _preflight()
    text = request.get_data(as_text=True, cache=False)[:40_000]
    outcome = verification.check_token(text)
    response = _json(outcome.as_json(), "application/json")
    response.status_code = 200 if outcome.signature_valid else 422
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-store"
    return response


def _preflight() -> Response:
    return Response(status=204, headers={
        "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "POST",
        "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "3600"})


# --- what credentials point to ------------------------------------------------------------

@bp.route("/issuer")
@access.public
@public_document(DOCUMENT_MAX_AGE)
def issuer():
    profile = {"@context": list(CONTEXTS), **issuing.issuer_profile()}
    if _wants_html():
        return render_template("accreditation/issuer.html", profile=profile,
                               jwks_url=urls.absolute_url("accreditation.public.jwks"),
                               levels=load_standards().levels.values())
    # The same issuer signs embedded proofs as did:web (DID document at /.well-known).
    profile["otherIdentifier"] = [{"type": "IdentifierEntry", "identifier": issuing.did_web(),
                                   "identifierType": "identifier"}]
    return _json({**profile, "jwks_uri": urls.absolute_url("accreditation.public.jwks")})


@bp.route("/accreditation/levels/<level_key>")
@access.public
@public_document(DOCUMENT_MAX_AGE)
def achievement(level_key):
    level = load_standards().levels.get(level_key)
    if level is None:
        abort(404)
    document = {"@context": list(CONTEXTS),
                **issuing.achievement(level_key, level.name)}
    if _wants_html():
        return render_template("accreditation/achievement.html", achievement=document,
                               level=level, criteria=issuing.CRITERIA)
    return _json(document)


@bp.route("/accreditation/levels/<level_key>/image.svg")
@access.public
@public_document(DOCUMENT_MAX_AGE)
def achievement_image(level_key):
    level = load_standards().levels.get(level_key)
    if level is None:
        abort(404)
    return Response(_badge_svg(level.name), mimetype="image/svg+xml")


def _badge_svg(name: str) -> str:
    words, lines = name.split(), [""]
    for word in words:
        if len(lines[-1]) + len(word) > 16 and lines[-1]:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}".strip()
    text = "".join(f'<tspan x="128" dy="{0 if n == 0 else 24}">{escape(line)}</tspan>'
                   for n, line in enumerate(lines[:4]))
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" '
            f'viewBox="0 0 256 256" role="img" aria-label="{escape(name)}">'
            '<circle cx="128" cy="128" r="120" fill="#1f4e79"/>'
            '<circle cx="128" cy="128" r="108" fill="none" stroke="#fff" stroke-width="4"/>'
            f'<text x="128" y="{128 - 12 * (min(len(lines), 4) - 1)}" fill="#fff" '
            'font-family="sans-serif" font-size="20" font-weight="bold" '
            f'text-anchor="middle">{text}</text></svg>')


@bp.route("/.well-known/jwks.json")
@access.public
@public_document(DOCUMENT_MAX_AGE)
def jwks():
    return _json(signing_keys.jwks(), "application/jwk-set+json")


@bp.route("/.well-known/did.json")
@access.public
@public_document(DOCUMENT_MAX_AGE)
def did_document():
    """The did:web DID document: every published key, current and retired, as an
    assertion method (Multikey for Ed25519, JsonWebKey for the others)."""
    did = issuing.did_web()
    methods = []
    for row in signing_keys.published_keys():
        method: dict[str, object] = {"id": f"{did}#{row.kid}", "controller": did}
        if row.algorithm == "EdDSA":
            method.update(type="Multikey", publicKeyMultibase=data_integrity.multikey(
                signing_keys.public_key_of(row)))
        else:
            method.update(type="JsonWebKey", publicKeyJwk=dict(row.public_jwk))
        methods.append(method)
    return _json({"@context": ["https://www.w3.org/ns/did/v1",
                               "https://w3id.org/security/multikey/v1",
                               "https://w3id.org/security/jwk/v1"],
                  "id": did, "alsoKnownAs": [issuing.issuer_id()],
                  "verificationMethod": methods,
                  "assertionMethod": [method["id"] for method in methods]},
                 "application/did+ld+json")


@bp.route("/keys/<kid>")
@access.public
@public_document(DOCUMENT_MAX_AGE)
def key(kid):
    """A credential's `kid` dereferences here, to the public JWK (OB 3.0 §8.2.3)."""
    row = db.session.scalar(select(signing_keys.SigningKey).where(
        signing_keys.SigningKey.kid == kid[:64]))
    if row is None:
        abort(404)
    return _json(signing_keys.jwk_of(row), "application/jwk+json")


#: Status list formats: a VC-JWT (as our VC-JWT credentials), or JSON-LD with an
#: embedded proof issued by the did:web issuer (as our embedded-proof credentials; wallets
#: that verify only embedded proofs also expect the list in that form).
JWT_TYPES = ("application/jwt", "application/vc+jwt")
JSON_LD_TYPES = ("application/vc+ld+json", JSON_LD, "application/json")


@bp.route("/status/<any(revocation, suspension):purpose>/<int:number>")
@access.public
@public_document(status_list.MAX_AGE)
def status_list_credential(purpose, number):
    """A signed BitstringStatusListCredential."""
    if not status_list.list_exists(number):
        abort(404)
    as_json = request.accept_mimetypes.best_match([*JWT_TYPES, *JSON_LD_TYPES]) \
        in JSON_LD_TYPES
    encoded = status_list.encode(status_list.bitstring(purpose, number))
    signing_key = signing_keys.current_key("EdDSA" if as_json else None)
    list_url = issuing.status_list_url(purpose, number)
    tag = status_list.etag(list_url + ("#json" if as_json else "#jwt"), encoded,
                           signing_key.kid)
    if tag in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{tag}"'})
    if as_json:
        credential = status_list.list_credential(
            list_url=list_url, issuer_id=issuing.did_web(), purpose=purpose, encoded=encoded)
        thumb = signing_key.kid.rsplit("/", 1)[-1]
        document = data_integrity.add_proof(
            credential, signing_key.private,
            verification_method=f"{issuing.did_web()}#{thumb}",
            created=credential["validFrom"], as_list=False)
        response = _json(document, "application/vc+ld+json")
    else:
        credential = status_list.list_credential(
            list_url=list_url, issuer_id=issuing.issuer_id(), purpose=purpose, encoded=encoded)
        response = Response(sign_credential(signing_key, credential, now=clock.utcnow()),
                            mimetype="application/jwt")
    db.session.commit()  # the first key, if this created it
    response.set_etag(tag)
    return response


# --- the register -------------------------------------------------------------------------

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
                                  status=form.status.data or "",
                                  sector=form.sector.data or "")
    page = db.paginate(query, per_page=25, error_out=False, total_with_items=True)
    return render_template("accreditation/register.html", form=form, page=page,
                           records=register_query.shown(page.items),
                           scheme_options=register_query.scheme_options(), regions=REGIONS,
                           sectors=register_query.SECTORS,
                           levels=register_query.level_names())
