"""README's layout section names every package of lms/ and nothing that does not exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _layout_block() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Layout", 1)[1]
    return section.split("```", 2)[1]


def test_every_feature_package_is_in_the_layout_and_every_listed_one_exists():
    listed = set(re.findall(r"^  ([a-z0-9_]+)/", _layout_block(), flags=re.M))
    folders = {p.name for p in (ROOT / "lms").iterdir()
               if p.is_dir() and not p.name.startswith((".", "__"))}
    assert folders - listed == set(), "folders of lms/ missing from README's layout"
    assert listed - folders == set(), "README lists folders of lms/ that are gone"
