"""The plan tests' runners, library and plans, for the reminder and sharing tests."""

from tests.routines.conftest import (  # noqa: F401
    exercise,
    library_data,
    other_client,
    other_runner,
    runner,
    runner_client,
    runner_with_plan,
    seeded_library,
)
