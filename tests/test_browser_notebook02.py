"""Notebook 02's widgets in a real browser: JupyterLab driven by Chromium (/usr/bin/chromium).

Reuses the servers, fixtures and helpers of tests/test_browser.py. Screenshots go to
test-artifacts/.
"""
import pytest

sync_api = pytest.importorskip("playwright.sync_api")

from test_browser import (ARTIFACTS, NOTEBOOKS, browser, lab, page,  # noqa: E402,F401
                          pytestmark, run_all_cells, shut_down_kernels, slider_handle)


def walk_step(page):  # noqa: F811 (the page fixture, imported above)
    return int(page.get_attribute("span.nnlib-walk-step", "data-step"))


def test_notebook_02_runs_and_its_widgets_react(page, lab):  # noqa: F811
    path = NOTEBOOKS / "02_gradient_derivation.ipynb"
    saved = path.read_bytes()
    run_all_cells(page, lab, path.name, "span.nnlib-walk-step")
    assert page.get_by_text("Error displaying widget").count() == 0

    # The walk-through: each Step completes one more layer of the backward pass.
    assert walk_step(page) == 0
    step = page.get_by_role("button", name="Step", exact=True)
    step.click()
    page.wait_for_function("() => document.querySelector('span.nnlib-walk-step')"
                           ".dataset.step == '1'")
    step.click()
    page.wait_for_function("() => document.querySelector('span.nnlib-walk-step')"
                           ".dataset.step == '2'")
    assert "δ⁽¹⁾" in page.inner_text("span.nnlib-walk-step")        # the hidden layer, (e)-(g)
    assert "(g)" in page.inner_text("span.nnlib-walk-step")
    page.get_by_role("button", name="Reset", exact=True).click()
    page.wait_for_function("() => document.querySelector('span.nnlib-walk-step')"
                           ".dataset.step == '0'")

    # The nudge panel: moving the slider moves the point and its tangent.
    before = page.inner_text("span.nnlib-nudge")
    handle = slider_handle(page, "its value")
    handle.focus()
    for _ in range(4):
        handle.press("ArrowRight")
    page.wait_for_function(
        "text => { const e = document.querySelector('span.nnlib-nudge');"
        " return e && e.textContent != text; }", arg=before)
    assert "backprop" in page.inner_text("span.nnlib-nudge")
    assert page.locator(".nnlib-error").count() == 0

    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("span.nnlib-walk-step").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "jupyterlab-notebook02-widgets.png")
    shut_down_kernels(lab)
    assert path.read_bytes() == saved               # the repository's notebook is untouched
