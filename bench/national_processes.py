"""Restorative processes for the national data set (called by bench/national.py): at scale
1.0, 150,000 processes over three years, each in its scheme's setting with the types,
involvement categories and harms that setting offers (courses/processes.yaml), a lead and
often co-facilitators (some still to confirm), outcome answers, take-up counts and, for a
share, anonymous feedback. The practice log's records become the facilitators' own records
of these processes (as far as each practitioner's records go). Schemes are placed in police
force areas (more where more people live, so some small areas have none: the postcode
lottery) and local authorities, and people are given a kind (staff, volunteer, prisoner,
pupil) fitting their scheme's sector."""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from lms.areas.reference import force_areas, local_authorities
from lms.auth.models import User
from lms.extensions import db
from lms.practice.models import PracticeRecord
from lms.processes import catalogue
from lms.processes.models import (
    FeedbackCode,
    FeedbackResponse,
    ProcessHarm,
    ProcessOutcome,
    ProcessParticipant,
    ProcessTakeUp,
    RestorativeProcess,
)
from lms.schemes.models import Membership, Scheme

FULL = 150_000
DAYS = 3 * 365
BATCH = 20_000
#: How common each type is where a setting offers it.
TYPE_WEIGHTS = {"instant": 30, "informal_meeting": 28, "formal_conference": 16, "indirect": 12,
                "circle": 8, "other": 4}
#: Chance that a process of each type has a co-facilitator (a second one: a fifth of those).
CO_FACILITATED = {"instant": .1, "informal_meeting": .35, "formal_conference": .75,
                  "indirect": .3, "circle": .6, "other": .3}
#: Kinds of person by their scheme's sector ((kind, weight); None: not recorded).
KINDS = {"prison": [("staff", 55), ("prisoner", 25), ("volunteer", 10), (None, 10)],
         "youth justice": [("staff", 70), ("volunteer", 20), (None, 10)],
         "school": [("staff", 55), ("pupil", 30), (None, 15)],
         "community": [("volunteer", 55), ("staff", 30), (None, 15)]}
OTHER_KINDS = [("staff", 75), ("volunteer", 15), (None, 10)]
#: Outcome answers (yes, no, not known) in percent, by question.
ANSWER_ODDS = {"agreement_reached": (80, 12, 8), "repeat_incident": (9, 79, 12),
               "returned_to_wing": (70, 20, 10), "continued_in_education": (88, 7, 5),
               "complaint_local_resolution": (72, 20, 8), "report_to_court": (65, 25, 10),
               "resolved_without_complaint": (78, 14, 8)}
SATISFACTION = [(5, 55), (4, 28), (3, 8), (2, 4), (1, 2), (None, 3)]
RECOMMEND = [("yes", 84), ("unsure", 9), ("no", 4), (None, 3)]


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _stamp(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _insert(model, rows) -> int:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start:start + BATCH])
    return len(rows)


def _update(model, rows) -> int:
    """UPDATE by id, many rows in one go (each row a dict holding "id" and the columns to
    set; Core, so that no version counter is asked for)."""
    table = model.__table__
    by_id = update(table).where(table.c.id == bindparam("row_id"))
    for start in range(0, len(rows), BATCH):
        db.session.execute(by_id, [{"row_id": row["id"], **{k: v for k, v in row.items()
                                                            if k != "id"}}
                                   for row in rows[start:start + BATCH]])
    return len(rows)


def place_schemes(rng: random.Random) -> dict[int, str]:
    """Each scheme in a police force area (drawn by population) and one of its local
    authorities. Returns {scheme id: setting}."""
    areas = list(force_areas().values())
    councils: dict[str, list[str]] = defaultdict(list)
    for council in local_authorities().values():
        councils[council.force_code].append(council.code)
    rows, setting_of = [], {}
    for scheme_id, sector in db.session.execute(select(Scheme.id, Scheme.sector)
                                                .order_by(Scheme.id)):
        area = rng.choices(areas, weights=[a.population for a in areas])[0]
        choices = councils.get(area.code)
        rows.append({"id": scheme_id, "police_force_code": area.code,
                     "local_authority_code": rng.choice(choices) if choices else None})
        setting_of[scheme_id] = str(sector.value)
    _update(Scheme, rows)
    return setting_of


def describe_people(rng: random.Random, setting_of: dict[int, str]) -> int:
    """A kind for each member of a scheme, fitting its sector (counted in 'trained')."""
    home = dict(db.session.execute(select(Membership.user_id, Membership.scheme_id)).all())
    return _update(User, [{"id": uid, "person_kind": _pick(
        rng, KINDS.get(setting_of[scheme_id], OTHER_KINDS))} for uid, scheme_id in home.items()])


def add_processes(scale: float, today: date, seed: int = 11) -> dict[str, int]:
    """Processes and everything hung on them; the caller commits."""
    rng = random.Random(seed)
    setting_of = place_schemes(rng)
    counts = {"people_described": describe_people(rng, setting_of)}
    records = db.session.execute(select(PracticeRecord.id, PracticeRecord.author_id,
                                        PracticeRecord.scheme_id, PracticeRecord.case_code)
                                 .order_by(PracticeRecord.id)).all()
    if not records:
        return counts
    # each practitioner's records, to hand out to the processes they facilitate
    pools: dict[int, list[tuple[int, str]]] = defaultdict(list)
    colleagues: dict[int, list[int]] = defaultdict(list)
    for record_id, author, scheme_id, code in records:
        if not pools[author]:
            colleagues[scheme_id].append(author)
        pools[author].append((record_id, code))
    for pool in pools.values():
        rng.shuffle(pool)
    settings = catalogue.settings()
    plans = []
    for k in range(max(2, round(FULL * scale))):
        plan = _plan(rng, k, records, colleagues, setting_of, settings, today)
        _results(rng, plan, settings, today)
        plans.append(plan)
    # ids in the order the processes were logged, as in the app (their rows, too)
    plans.sort(key=lambda plan: plan["row"]["created_at"])
    linked = _link_records(plans, pools)
    counts["restorative_processes"] = _insert(RestorativeProcess, [p["row"] for p in plans])
    ids = dict(db.session.execute(select(RestorativeProcess.case_code,
                                         RestorativeProcess.id)).tuples().all())
    children: dict[Any, list[dict]] = defaultdict(list)
    for plan in plans:
        pid = ids[plan["row"]["case_code"]]
        # bulk inserts skip the ORM's listeners: the process's scheme and date by hand
        facts = {"process_id": pid, "scheme_id": plan["row"]["scheme_id"],
                 "occurred_on": plan["row"]["occurred_on"]}
        for model, rows in plan["children"].items():
            children[model] += [{**facts, **row} for row in rows]
        plan["id"] = pid
    for model, rows in children.items():
        counts[model.__tablename__] = _insert(model, rows)
    for row in linked:
        row["process_id"] = row.pop("plan")["id"]
    counts["practice_records_linked"] = _update(PracticeRecord, linked)
    return counts


def _plan(rng, k, records, colleagues, setting_of, settings, today) -> dict:
    """One process: its row, harms and participants."""
    _record_id, lead, scheme_id, _code = rng.choice(records)
    setting_key = setting_of[scheme_id]
    if setting_key == "community" and rng.random() < .5:
        setting_key = "neighbourhood"  # community-run panels and mediation
    setting = settings[setting_key]
    kind = _pick(rng, [(t, TYPE_WEIGHTS.get(t, 4)) for t in setting.types])
    involvement = _pick(rng, [(v, len(setting.involvements) - i)
                              for i, v in enumerate(setting.involvements)])
    harm_weights = [(h, len(setting.harms) - i) for i, h in enumerate(setting.harms)]
    harms = {_pick(rng, harm_weights)
             for _n in range(_pick(rng, [(1, 75), (2, 20), (3, 5)]))}
    occurred = today - timedelta(days=rng.randrange(DAYS))
    # logged the same day, or up to a fortnight later
    logged = min(today, occurred + timedelta(days=0 if rng.random() < .6
                                             else rng.randrange(1, 15)))
    direct = kind != "indirect"
    others = [u for u in colleagues[scheme_id] if u != lead]
    co = 0
    if rng.random() < CO_FACILITATED[kind]:
        co = 2 if rng.random() < .2 else 1
    roles = ["co_facilitator"] * co + ["observer"] * (rng.random() < .04)
    parts = [{"user_id": lead, "role": "lead", "invited_by_id": None,
              "confirmed_at": _stamp(logged, 11), "created_at": _stamp(logged, 11)}]
    recent = (today - occurred).days < 60
    for user, role in zip(rng.sample(others, k=min(len(others), len(roles))), roles,
                          strict=False):
        waiting = rng.random() < (.3 if recent else .03)
        parts.append({"user_id": user, "role": role, "invited_by_id": lead,
                      "confirmed_at": None if waiting else _stamp(
                          min(today, logged + timedelta(days=rng.randrange(1, 8)))),
                      "created_at": _stamp(logged, 11)})
    return {"setting": setting_key, "occurred": occurred, "harms": sorted(harms),
            "parts": parts,
            "row": {"case_code": f"RJ-P-{k:07d}", "scheme_id": scheme_id,
                    "occurred_on": occurred, "setting": setting_key, "process_type": kind,
                    "involvement": involvement, "direct": direct,
                    "face_to_face": direct and rng.random() < .9,
                    "sensitive": bool(harms & {"sexual_harm", "domestic_abuse"})
                    or rng.random() < .05,
                    "items_agreed": None, "items_completed": None, "created_by_id": lead,
                    "created_at": _stamp(logged, 11)}}


def _results(rng, plan, settings, today) -> None:
    """What came of the process: outcome answers (and agreement items), take-up counts for
    both sides, and anonymous feedback for a share; plan["children"] holds the rows."""
    row, occurred = plan["row"], plan["occurred"]
    age = (today - occurred).days
    outcomes: list[dict] = []
    take_up: list[dict] = []
    codes: list[dict] = []
    responses: list[dict] = []
    if rng.random() < (.4 if age < 30 else .85):
        follow_up = timedelta(days=30 * catalogue.repeat_incident_months())
        answers = _outcomes(rng, settings[plan["setting"]].outcomes,
                            too_soon=occurred + follow_up > today)
        outcomes = [{"key": k, "answer": a} for k, a in answers.items()]
        if answers.get("agreement_reached") == "yes" and row["process_type"] != "instant":
            row["items_agreed"] = rng.randint(1, 5)
            if age > 90:
                row["items_completed"] = max(0, row["items_agreed"] - _pick(
                    rng, [(0, 70), (1, 20), (2, 10)]))
    plan["children"] = {ProcessHarm: [{"harm": h} for h in plan["harms"]],
                        ProcessParticipant: plan["parts"], ProcessOutcome: outcomes,
                        ProcessTakeUp: take_up, FeedbackCode: codes,
                        FeedbackResponse: responses}
    if row["process_type"] == "instant" or rng.random() > (
            .85 if plan["setting"] in ("courts", "probation", "police") else .55):
        return
    funnel = {"harmed": _funnel(rng, rng.choice([1, 1, 1, 2, 3]), (.65, .85, .85)),
              "responsible": _funnel(rng, rng.choice([1, 1, 2]), (.8, .9, .9))}
    take_up += [{"party": party, **numbers} for party, numbers in funnel.items()]
    took_part = sum(n["took_part"] for n in funnel.values())
    if not took_part or rng.random() > .4:
        return
    answered = rng.randint(1, took_part)
    online = sum(rng.random() < .65 for _n in range(answered))
    if online:
        codes.append({"created_by_id": row["created_by_id"],
                      "code_hash": hashlib.sha256(row["case_code"].encode()).hexdigest(),
                      "max_answers": min(12, took_part), "answers_used": online,
                      "created_at": row["created_at"]})
    responses += [{"satisfaction": _pick(rng, SATISFACTION), "recommend": _pick(rng, RECOMMEND),
                   "comment": "", "source": "online" if n < online else "paper",
                   "received_on": min(today, occurred + timedelta(days=rng.randrange(22)))}
                  for n in range(answered)]


def _link_records(plans, pools) -> list[dict]:
    """Each confirmed facilitator's own practice record of the process (the lead's carries
    the process's case code), while they have records left; the record takes the process's
    facts, as the app copies them."""
    linked = []
    for plan in plans:
        row, parts = plan["row"], plan["parts"]
        lead = parts[0]["user_id"]
        first_co = next((p["user_id"] for p in parts if p["role"] == "co_facilitator"), None)
        for part in parts:
            pool = pools.get(part["user_id"])
            if part["role"] == "observer" or part["confirmed_at"] is None or not pool:
                continue
            record_id, code = pool.pop()
            if part["role"] == "lead":
                row["case_code"] = code
            linked.append({
                "id": record_id, "plan": plan, "occurred_on": row["occurred_on"],
                "sector": row["setting"], "process_type": row["process_type"],
                "direct": row["direct"], "face_to_face": row["face_to_face"],
                "sensitive": row["sensitive"], "harm_category": plan["harms"][0],
                "practitioner_role": part["role"],
                "co_facilitator_id": first_co if part["role"] == "lead" else lead,
                "created_at": part["confirmed_at"]})
    return linked


def _outcomes(rng, questions, *, too_soon: bool) -> dict[str, str]:
    """Answers to the setting's questions (now and then one left unanswered); a repeat
    incident is not known until the follow-up is due."""
    answers = {}
    for key in questions:
        if rng.random() < .1:
            continue
        if key == "repeat_incident" and too_soon:
            answers[key] = "not_known"
            continue
        answers[key] = _pick(rng, zip(("yes", "no", "not_known"), ANSWER_ODDS[key],
                                      strict=True))
    return answers


def _funnel(rng, offered: int, odds: tuple[float, float, float]) -> dict[str, int]:
    """Take-up counts of one side: each stage reached by some of those at the one before,
    those who stopped counted as declining at that stage."""
    interested = sum(rng.random() < odds[0] for _n in range(offered))
    met = sum(rng.random() < odds[1] for _n in range(interested))
    took_part = sum(rng.random() < odds[2] for _n in range(met))
    return {"offered": offered, "interested": interested, "met": met, "took_part": took_part,
            "declined_at_offer": offered - interested,
            "declined_after_interest": interested - met,
            "declined_after_meeting": met - took_part}
