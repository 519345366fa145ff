"""Shared pytest hooks."""
import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item (item.rep_setup, rep_call, rep_teardown),
    so that a fixture can tell in its teardown whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Chromium (make test-fast leaves it out)")
    config.addinivalue_line("markers", "server: starts the app's server and loads it with many "
                                       "sessions (make test-fast leaves it out)")
    config.addinivalue_line("markers", "environments: builds other Python environments: Binder, "
                                       "Colab's versions, Python 3.11-3.13 (make test-fast leaves "
                                       "it out)")


def pytest_collection_modifyitems(items):
    """Mark every test that uses a browser page as `browser`, wherever it is defined."""
    for item in items:
        if {"browser", "page"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
