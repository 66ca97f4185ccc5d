"""The shared-processes migration: every existing practice record becomes, or joins, a
process; nothing is lost; reciprocal co-facilitation on the same day becomes ONE process."""

from datetime import date, datetime

import flask_migrate
from sqlalchemy import MetaData, select

from lms import create_app
from lms.extensions import db

BEFORE = "c7311296a4bb"


def _insert(conn, meta, table, **values):
    return conn.execute(meta.tables[table].insert().values(**values)).inserted_primary_key[0]


def test_existing_records_are_linked_to_processes_without_loss(tmp_path):
    app = create_app({"ENV": "testing",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    now = datetime(2026, 10, 1, 9, 0)
    with app.app_context():
        flask_migrate.upgrade(revision=BEFORE)
        meta = MetaData()
        meta.reflect(bind=db.engine)
        with db.engine.begin() as conn:
            scheme = _insert(conn, meta, "schemes", name="HMP Old", slug="hmp-old",
                             sector="prison", region="North West", created_at=now)
            other_scheme = _insert(conn, meta, "schemes", name="Elsewhere", slug="else",
                                   sector="school", region="Wales", created_at=now)
            people = [_insert(conn, meta, "users", username=f"u{n}", display_name=f"U {n}",
                              active=True, is_admin=False, preferred_language="en",
                              created_at=now) for n in range(7)]
            a, b, c, d, e, f, g = people

            def record(code, author, co, on, scheme_id=scheme, role="lead", harm="violence"):
                return _insert(
                    conn, meta, "practice_records", case_code=code, author_id=author,
                    scheme_id=scheme_id, occurred_on=on, sector="prison",
                    process_type="formal_conference", direct=True, face_to_face=True,
                    sensitive=False, harm_category=harm, practitioner_role=role,
                    co_facilitator_id=co, stages=["delivery"], reflection=f"Mine: {code}",
                    status="signed off", created_at=now, version=1)

            day = date(2026, 9, 1)
            ids = {
                # A and B name each other on the same day: one process
                "pair_a": record("RJ-2026-AAAAAA", a, b, day),
                "pair_b": record("RJ-2026-BBBBBB", b, a, day, role="co_facilitator",
                                 harm="bullying"),
                # C names D, D does not name C: separate processes
                "one_sided": record("RJ-2026-CCCCCC", c, d, day),
                "d_alone": record("RJ-2026-DDDDDD", d, None, day),
                # E names A on another day: not A's conference
                "other_day": record("RJ-2026-EEEEEE", e, a, date(2026, 9, 2)),
                # reciprocal but in different schemes: not joined
                "x1": record("RJ-2026-XXXXX1", c, e, date(2026, 9, 3)),
                "x2": record("RJ-2026-XXXXX2", e, c, date(2026, 9, 3),
                             scheme_id=other_scheme),
                # reciprocal, but F logged two processes that day: which one is unsure
                "f1": record("RJ-2026-FFFFF1", f, g, date(2026, 9, 5)),
                "f2": record("RJ-2026-FFFFF2", f, g, date(2026, 9, 5)),
                "g": record("RJ-2026-GGGGGG", g, f, date(2026, 9, 5)),
            }
        flask_migrate.upgrade()
        meta = MetaData()
        meta.reflect(bind=db.engine)
        with db.engine.connect() as conn:
            records = {r.id: r for r in conn.execute(select(meta.tables["practice_records"]))}
            processes = {p.id: p for p in conn.execute(
                select(meta.tables["restorative_processes"]))}
            parts = conn.execute(select(meta.tables["process_participants"])).all()
            harms = conn.execute(select(meta.tables["process_harms"])).all()
        db.engine.dispose()
    # nothing lost: every record is still there, with its own text, and has a process
    assert set(records) == set(ids.values())
    assert all(r.process_id is not None for r in records.values())
    assert records[ids["pair_a"]].reflection == "Mine: RJ-2026-AAAAAA"
    assert records[ids["pair_b"]].co_facilitator_id == a  # old columns kept
    # the reciprocal pair is one process; the rest one each
    assert records[ids["pair_a"]].process_id == records[ids["pair_b"]].process_id
    assert len(processes) == len(ids) - 1
    assert len({r.process_id for r in records.values()}) == len(ids) - 1
    pair = processes[records[ids["pair_a"]].process_id]
    assert pair.case_code == "RJ-2026-AAAAAA"
    assert (pair.setting, pair.process_type, pair.occurred_on) == (
        "prison", "formal_conference", date(2026, 9, 1))
    assert pair.involvement is None  # never asked before: shown as not recorded
    assert sorted((p.user_id, p.role) for p in parts if p.process_id == pair.id) == [
        (a, "lead"), (b, "co_facilitator")]
    assert all(p.confirmed_at is not None for p in parts)
    assert sorted(h.harm for h in harms if h.process_id == pair.id) == ["bullying", "violence"]
    # one practitioner per record elsewhere, the author only
    assert len(parts) == len(ids)
    assert records[ids["one_sided"]].process_id != records[ids["d_alone"]].process_id
    assert records[ids["x1"]].process_id != records[ids["x2"]].process_id
    assert len({records[ids[k]].process_id for k in ("f1", "f2", "g")}) == 3
