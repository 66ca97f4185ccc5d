"""Staff search: people and practice records by name, username or case code, within what
the person searching may see (the same rules as the pages the results link to)."""

from collections.abc import Sequence

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import StringField
from wtforms.validators import Length, Optional

from lms import access
from lms.auth.models import User
from lms.extensions import db
from lms.forms import BaseForm
from lms.i18n import lazy_gettext as _l
from lms.people.services import people_query
from lms.practice.models import PracticeRecord
from lms.schemes.models import Role

bp = Blueprint("search", __name__)
LIMIT = 20


class SearchForm(BaseForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(_l("Name, username or case code"),
                    validators=[Optional(),
                                Length(max=100, message=_l("Use at most 100 characters."))])


@bp.route("/search")
@access.role(Role.SUPERVISOR, Role.TRAINER, Role.LEAD)
def index() -> str:
    form = SearchForm(formdata=request.args)
    term = (form.q.data or "").strip() if form.validate() else ""
    people: Sequence[User] = []
    records: Sequence[PracticeRecord] = []
    if term:
        if current_user.is_admin or current_user.has_role(Role.LEAD):
            people = db.session.scalars(people_query(current_user, search=term)
                                        .limit(LIMIT)).all()
        records = db.session.scalars(
            select(PracticeRecord)
            .where(PracticeRecord.viewable_by(current_user),
                   PracticeRecord.case_code.ilike(f"%{term}%"))
            .order_by(PracticeRecord.occurred_on.desc(), PracticeRecord.id.desc())
            .options(selectinload(PracticeRecord.author))
            .limit(LIMIT)).all()
    return render_template("main/search.html", form=form, term=term, people=people,
                           records=records, limit=LIMIT)
