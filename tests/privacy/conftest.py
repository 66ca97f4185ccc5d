from tests.practice.conftest import practice_scheme, recognise  # noqa: F401  (fixtures)
