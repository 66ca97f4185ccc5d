"""Search by part of a name is served by an index on PostgreSQL (trigram GIN indexes), not
by reading every row; on SQLite the same names are indexed for the register's order."""

from types import SimpleNamespace

from sqlalchemy import inspect, select, text

from lms.accreditation import register
from lms.accreditation.models import AccreditationRecord
from lms.extensions import db
from lms.people.services import people_query
from lms.reports import area_figures
from lms.reports.figures import Scope

INDEXED = {("accreditation_records", "ix_accreditation_records_holder_name"),
           ("users", "ix_users_display_name"), ("users", "ix_users_username_trgm"),
           ("users", "ix_users_email_trgm")}


def _plan(query, *, turned_off=("seqscan", "indexscan", "indexonlyscan")) -> str:
    """The plan of `query` with the named scan kinds turned off. A trigram index is only
    ever read by a bitmap scan, so by default only bitmap scans are left: on the test's
    near-empty tables a whole btree index read and filtered (the scheme-and-name index,
    say) would otherwise look as cheap as the trigram index it never beats on real data."""
    compiled = query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
    for kind in turned_off:
        db.session.execute(text(f"SET LOCAL enable_{kind} = off"))
    return "\n".join(db.session.scalars(text(f"EXPLAIN {compiled}")))


def test_the_search_indexes_exist(app):
    with app.app_context():
        inspector = inspect(db.engine)
        found = {(table, ix["name"]) for table in ("accreditation_records", "users")
                 for ix in inspector.get_indexes(table)}
    assert found >= INDEXED


def test_register_and_people_searches_use_the_indexes_on_postgresql(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            # SQLite has no trigram index: LIKE '%part%' reads the table there by design.
            assert db.engine.dialect.name == "sqlite"
            return
        # The name condition the register uses (planned on its own: on a near-empty table the
        # whole query's plan may prefer another index).
        register_plan = _plan(select(AccreditationRecord.id).where(
            register.name_contains(AccreditationRecord.holder_name, "jon")))
        assert "ix_accreditation_records_holder_name" in register_plan
        people_plan = _plan(people_query(SimpleNamespace(is_admin=True), search="jon")
                            .order_by(None))
        assert "ix_users_display_name" in people_plan
        assert "ix_users_username_trgm" in people_plan
        assert "ix_users_email_trgm" in people_plan
        db.session.rollback()


def test_who_is_accredited_in_a_scheme_is_read_in_name_order_from_an_index(app):
    """A page of the list comes from the scheme-and-name index, in its order: no sort of
    every valid record in the scheme (1,919 in the national data set's largest)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            assert db.engine.dialect.name == "sqlite"
            return
        query = area_figures.accredited_list_query(Scope(frozenset({1}))).limit(50)
        plan = _plan(query, turned_off=("seqscan", "sort"))
        assert "ix_accreditation_records_scheme_name" in plan, plan
        assert "Sort" not in plan, plan
        db.session.rollback()


def test_the_register_reads_each_listed_holder_from_the_listed_index(app):
    """Each listed record's holder is looked up for the register (3,325 records for the
    national data set's largest region): from the small index of listed, active people
    alone, not from each person's row."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            assert db.engine.dialect.name == "sqlite"
            return
        query = register.search(region="North West").limit(25)
        # only an index-only read of the holders is left cheap: the listed index gives one
        plan = _plan(query, turned_off=("seqscan", "indexscan", "bitmapscan"))
        assert "Index Only Scan using ix_users_listed" in plan, plan
        db.session.rollback()
