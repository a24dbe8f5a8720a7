"""Shared fixtures: the two exercise implementations and hypothesis profiles."""

import os

import pytest
from hypothesis import HealthCheck, settings

from refusal_lesson import exercises
from refusal_lesson.switch import load_solutions

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def solutions():
    """The reference solutions, loaded by path as the switch loads them."""
    return load_solutions()


@pytest.fixture(scope="session")
def stubs():
    """The untouched student file."""
    return exercises


def pytest_terminal_summary(terminalreporter, config):
    """Say where the browser tests left their screenshots, or why they were skipped."""
    from labdriver import BROWSER_SKIPPED_KEY, SCREENSHOTS_KEY

    if SCREENSHOTS_KEY in config.stash:
        terminalreporter.write_line(f"browser screenshots: {config.stash[SCREENSHOTS_KEY]}")
    if BROWSER_SKIPPED_KEY in config.stash:
        terminalreporter.write_line(f"browser tests skipped: {config.stash[BROWSER_SKIPPED_KEY]}")
