"""The demo data set: two schemes and their people. Everything is invented."""

from sqlalchemy import select

from lms.areas.models import ViewerScope
from lms.auth import services as auth_services
from lms.auth.models import User
from lms.extensions import db
from lms.schemes.models import Membership, Role, Scheme, Sector

DEMO_PASSWORD = "restorative-demo"  # published in the README: demo sites only

#: Police force area (and local authority) of each demo scheme, by slug.
SCHEME_AREAS = {
    "hmp-northfield": ("E23000003", None),  # Lancashire
    "riverside-schools": ("W15000003", "W06000015"),  # South Wales, Cardiff
    "greenway-homes": ("E23000009", "E06000014"),  # North Yorkshire, York
    "st-cuthberts-health": ("E23000013", "E06000002"),  # Cleveland, Middlesbrough
    "pre-sentence-rj": ("E23000016", "E06000020"),  # West Mercia, Telford and Wrekin
    "valeshire-police": ("E23000036", "E06000023"),  # Avon and Somerset, Bristol
    "eastgate-neighbourhood": ("E23000023", "E06000031"),  # Cambridgeshire, Peterborough
}
#: A police and crime commissioner's office: sees South Wales figures, never case text.
VIEWER = ("pcc.viewer", "Office of the PCC for South Wales (viewer)", "W15000003")

SCHEMES = [
    ("prison", "HMP Northfield restorative justice service", "hmp-northfield", Sector.PRISON,
     "North West"),
    ("school", "Riverside Schools Trust", "riverside-schools", Sector.SCHOOL, "Wales"),
    # one scheme per programme setting, so each setting's published figures can be shown
    ("housing", "Greenway Homes resolution service", "greenway-homes", Sector.HOUSING,
     "Yorkshire and the Humber"),
    ("health", "St Cuthbert's Hospital patient experience team", "st-cuthberts-health",
     Sector.HEALTH, "North East"),
    ("courts", "Crown Court pre-sentence restorative justice service", "pre-sentence-rj",
     Sector.COURTS, "West Midlands"),
    ("police", "Valeshire Police professional standards", "valeshire-police", Sector.POLICE,
     "South West"),
    ("neighbourhood", "Eastgate neighbourhood justice panel", "eastgate-neighbourhood",
     Sector.COMMUNITY, "East of England"),
]

#: (username suffix, display name, roles) for each scheme prefix.
PEOPLE = {
    "prison": [
        ("lead", "Dana Okafor", [Role.LEAD]),
        ("supervisor", "Sam Whitaker", [Role.SUPERVISOR]),
        ("trainer", "Priya Lal", [Role.TRAINER]),
        ("trainee1", "Tom Reilly (officer)", [Role.TRAINEE]),
        ("trainee2", "Learner A. Jones", [Role.TRAINEE]),
        ("trainee3", "Learner M. Ahmed", [Role.TRAINEE]),
    ],
    "school": [
        ("lead", "Rhian Evans", [Role.LEAD]),
        ("supervisor", "Gareth Price", [Role.SUPERVISOR]),
        ("trainer", "Ceri Morgan", [Role.TRAINER]),
        ("trainee1", "Alys Hughes", [Role.TRAINEE]),
        ("trainee2", "Owen Davies", [Role.TRAINEE]),
        ("trainee3", "Megan Lloyd", [Role.TRAINEE]),
    ],
    "housing": [("lead", "Joanne Pryce", [Role.LEAD]),
                ("officer1", "Marcus Bell (housing officer)", [Role.TRAINEE]),
                ("officer2", "Aisha Karim (housing officer)", [Role.TRAINEE])],
    "health": [("lead", "Dr Helen Marsh", [Role.LEAD]),
               ("nurse1", "Femi Adeyemi (ward manager)", [Role.TRAINEE]),
               ("nurse2", "Claire Dunn (patient experience)", [Role.TRAINEE])],
    "courts": [("lead", "Robert Ash", [Role.LEAD]),
               ("volunteer1", "Lena Novak (volunteer)", [Role.TRAINEE]),
               ("volunteer2", "George Tran (volunteer)", [Role.TRAINEE])],
    "police": [("lead", "Inspector Kaur", [Role.LEAD]),
               ("officer1", "Sgt Dan Hollis", [Role.TRAINEE]),
               ("officer2", "PC Mia Rowe", [Role.TRAINEE])],
    "neighbourhood": [("lead", "Pat Osei", [Role.LEAD]),
                      ("volunteer1", "Iris Fenton (volunteer)", [Role.TRAINEE]),
                      ("volunteer2", "Sunil Mehta (volunteer)", [Role.TRAINEE])],
}


def account_list() -> list[tuple[str, str, str]]:
    rows = [("admin", "Site administrator", "administrator of every scheme")]
    for prefix, scheme_name, *_ in SCHEMES:
        for suffix, display_name, roles in PEOPLE[prefix]:
            label = ", ".join(role.label.lower() for role in roles)
            rows.append((f"{prefix}.{suffix}", display_name, f"{label} at {scheme_name}"))
    rows.append((VIEWER[0], VIEWER[1], "viewer of the South Wales police force area's figures"))
    return rows


def load_demo() -> str:
    """Create what is missing; leave what exists. Returns a one-line summary."""
    created = 0
    password_hash = None

    def ensure_user(username, display_name, is_admin=False):
        nonlocal created, password_hash
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            password_hash = password_hash or auth_services.passwords.hash_password(DEMO_PASSWORD)
            user = User(username=username, display_name=display_name, is_admin=is_admin,
                        password_hash=password_hash)
            db.session.add(user)
            created += 1
        return user

    ensure_user("admin", "Site administrator", is_admin=True)
    for prefix, name, slug, sector, region in SCHEMES:
        scheme = _ensure_scheme(name, slug, sector, region)
        for suffix, display_name, roles in PEOPLE[prefix]:
            user = ensure_user(f"{prefix}.{suffix}", display_name)
            for role in roles:
                if role not in user.roles_in(scheme):
                    user.memberships.append(Membership(scheme=scheme, role=role))
            db.session.flush()
    _ensure_viewer(ensure_user(*VIEWER[:2]), VIEWER[2])
    return f"Demo data ready ({created} new accounts)."


def _ensure_scheme(name, slug, sector, region) -> Scheme:
    scheme = db.session.scalar(select(Scheme).where(Scheme.slug == slug))
    if scheme is None:
        scheme = Scheme(name=name, slug=slug, sector=sector, region=region)
        db.session.add(scheme)
        db.session.flush()
    if scheme.police_force_code is None and slug in SCHEME_AREAS:
        scheme.police_force_code, scheme.local_authority_code = SCHEME_AREAS[slug]
    return scheme


def _ensure_viewer(user: User, force_code: str) -> None:
    db.session.flush()
    exists = db.session.scalar(select(ViewerScope.id).where(
        ViewerScope.user_id == user.id, ViewerScope.kind == "area",
        ViewerScope.force_code == force_code))
    if exists is None:
        db.session.add(ViewerScope(user_id=user.id, kind="area", force_code=force_code))
