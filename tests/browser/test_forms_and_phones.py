"""Keyboard use after a failed form, the phone menu, and wide tables on a phone, in a real
browser."""

import pytest

from tests.browser.pages import PHONE, check_accessibility, screenshot, sign_in, visit

SIZES = ["desktop", "phone"]


def focused(page, expression="el => el"):
    return page.evaluate(f"({expression})(document.activeElement)")


def submit_and_expect_focus_on_summary(page):
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").last.click()
    assert focused(page, "el => el.classList.contains('error-summary')"), (
        f"focus is on <{focused(page, 'el => el.outerHTML.slice(0, 80)')}> on {page.url}")
    check_accessibility(page)


@pytest.mark.parametrize("size", SIZES)
def test_failed_sign_in_moves_focus_to_the_error_summary_and_its_link_to_the_field(
        open_page, size):
    page = open_page(size)
    visit(page, "/login")
    submit_and_expect_focus_on_summary(page)
    page.keyboard.press("Tab")
    assert focused(page, "el => el.closest('.error-summary') !== null && el.tagName") == "A"
    first_link_target = focused(page, "el => el.getAttribute('href')")
    page.keyboard.press("Enter")
    assert focused(page, "el => '#' + el.id") == first_link_target


@pytest.mark.parametrize(("username", "path"), [
    ("prison.trainee1", "/practice/new"),
    ("prison.lead", "/people/new"),
    ("prison.supervisor", "/supervision/new"),
])
def test_failed_form_moves_focus_to_the_error_summary(open_page, username, path):
    page = open_page("phone")
    sign_in(page, username)
    visit(page, path)
    submit_and_expect_focus_on_summary(page)
    assert page.locator(".error-summary li").count() >= 1


def test_first_tab_reaches_the_skip_link_and_it_moves_focus_to_the_content(open_page):
    page = open_page("desktop")
    visit(page, "/")
    page.keyboard.press("Tab")
    assert focused(page, "el => el.className") == "skip-link"
    page.keyboard.press("Enter")
    assert focused(page, "el => el.id") == "main"


def test_phone_menu_opens_from_the_keyboard(open_page):
    page = open_page("phone")
    sign_in(page, "prison.lead")
    visit(page, "/")
    assert not page.locator("nav.nav-wide").is_visible()
    menu = page.locator("details.nav-menu summary")
    menu.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.nav-menu a", has_text="Scheme").is_visible()
    check_accessibility(page)


def assert_no_sideways_scroll(page):
    overflow = page.evaluate("""() => [...document.querySelectorAll('.table-wrap')]
        .filter(w => w.scrollWidth > w.clientWidth + 1).length
        + (document.documentElement.scrollWidth > window.innerWidth ? 1 : 0)""")
    assert overflow == 0, f"{page.url} scrolls sideways on a phone"


@pytest.mark.parametrize(("username", "path", "label"), [
    ("prison.trainee1", "/accreditation/pathway", "Met"),
    ("prison.trainee1", "/sessions/", "Places left"),
    ("prison.trainer", "/training/learners", None),
    ("prison.lead", "/reports/schemes/hmp-northfield/practitioners", None),
    ("prison.lead", "/reports/", None),
])
def test_wide_tables_become_stacked_cards_on_a_phone(open_page, username, path, label):
    page = open_page("phone")
    sign_in(page, username)
    visit(page, path)
    tables = page.locator("main table")
    assert tables.count() >= 1
    assert page.locator("main table:not(.stacked)").count() == 0
    # The header row is kept for screen readers but takes no room (visually hidden).
    assert page.locator("main table thead").first.evaluate(
        "el => el.getBoundingClientRect().height") <= 1
    assert_no_sideways_scroll(page)
    hint = page.evaluate("getComputedStyle(document.querySelector('.table-wrap'), "
                         "'::before').content")
    assert hint == "none"  # the "scroll sideways" hint is only for tables left wide
    screenshot(page, "cards-" + path.strip("/").replace("/", "-"))
    if label:
        cell = page.locator(f"main td[data-label='{label}']").first
        assert cell.is_visible()
        shown = cell.evaluate("el => getComputedStyle(el, '::before').content")
        assert shown == f'"{label}"'


def test_tables_stay_tables_on_a_desktop(open_page):
    page = open_page("desktop")
    sign_in(page, "prison.trainee1")
    visit(page, "/sessions/")
    assert page.locator("main table thead").first.is_visible()
    assert page.locator("main td[data-label='Places left']").first.evaluate(
        "el => getComputedStyle(el).display") == "table-cell"


def test_without_javascript_a_phone_is_told_to_scroll_tables_sideways(browser, base_url):
    context = browser.new_context(viewport=PHONE, base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, "prison.trainee1")
        page.goto("/accreditation/pathway")
        hint = page.evaluate("getComputedStyle(document.querySelector('.table-wrap'), "
                             "'::before').content")
        assert "Scroll sideways" in hint
        assert page.locator("main table.stacked").count() == 0
        assert page.locator("main table thead").first.is_visible()
    finally:
        context.close()


def open_confirmation(page, summary_text):
    """Reach the warning button by keyboard and open its confirmation panel."""
    summary = page.locator("details.confirm summary", has_text=summary_text)
    confirm = page.locator("details.confirm button[type=submit]")
    assert not confirm.is_visible()  # nothing irreversible is one press away
    summary.focus()
    page.keyboard.press("Enter")
    assert confirm.is_visible()
    check_accessibility(page)
    return confirm


def test_lead_deactivates_only_after_confirming_and_can_reactivate(open_page):
    page = open_page("phone")
    sign_in(page, "prison.lead")
    visit(page, "/people/")
    with page.expect_navigation():
        page.locator("main table a", has_text="Learner M. Ahmed").click()
    confirm = open_confirmation(page, "Deactivate account")
    assert confirm.inner_text() == "Yes, deactivate Learner M. Ahmed"
    with page.expect_navigation():
        confirm.click()
    assert "can no longer sign in" in page.locator(".flashes").inner_text()
    check_accessibility(page)
    with page.expect_navigation():
        page.locator("main button", has_text="Reactivate account").click()
    assert "can sign in again" in page.locator(".flashes").inner_text()


def test_trainee_records_a_process_and_submits_it_after_confirming(open_page):
    page = open_page("desktop")
    sign_in(page, "prison.trainee2")
    visit(page, "/practice/new")
    # what the setting offers (courses/processes.yaml): a prison conference between two
    # prisoners about violence
    page.select_option("#sector", "prison")
    page.select_option("#process_type", "formal_conference")
    page.select_option("#involvement", "prisoner_prisoner")
    page.check("#harm_category input[value=violence]")
    page.select_option("#practitioner_role", index=1)
    page.fill("#occurred_on", "2026-10-14")
    page.locator("#communication input").first.check()
    page.locator("#stages input").first.check()
    page.fill("#reflection", "Preparation took two meetings; the conference reached an "
                             "outcome agreement that both sides signed.")
    with page.expect_navigation():
        page.locator("main button[type=submit]", has_text="Save draft").click()
    assert page.locator(".error-summary").count() == 0, page.locator("main").inner_text()
    check_accessibility(page)
    confirm = open_confirmation(page, "Submit (no more edits)")
    with page.expect_navigation():
        confirm.click()
    check_accessibility(page)
    assert page.locator("details.confirm").count() == 0
    assert page.locator("main a", has_text="Edit").count() == 0


@pytest.mark.parametrize(("username", "paths"), [
    ("prison.trainee1", ["/", "/accreditation/pathway", "/sessions/", "/practice/new"]),
    ("prison.lead", ["/reports/", "/people/"]),
    ("admin", ["/accreditation/applications/", "/reports/admin"]),
])
def test_pages_reflow_at_400_percent_zoom_without_sideways_scrolling(open_page, username,
                                                                      paths):
    page = open_page("zoomed")
    sign_in(page, username)
    for path in paths:
        visit(page, path)
        assert_no_sideways_scroll(page)


def test_without_javascript_focus_still_moves_to_the_error_summary(browser, base_url):
    context = browser.new_context(viewport=PHONE, base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/login")
        with page.expect_navigation():
            page.locator("main button[type=submit]").click()
        # autofocus applies once the page has settled: wait for it rather than race it
        page.wait_for_function(
            "document.activeElement.classList.contains('error-summary')", timeout=5000)
    finally:
        context.close()
