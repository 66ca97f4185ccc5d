"""Each role's main journey, at desktop and phone sizes, in a real browser: every page
visited is checked by axe-core for WCAG 2.2 A/AA, and each role's home is screenshotted."""

import pytest

from tests.browser.pages import follow, screenshot, sign_in, visit

SIZES = ["desktop", "phone"]


@pytest.mark.parametrize("size", SIZES)
def test_public_home_register_and_verification(open_page, size):
    page = open_page(size)
    visit(page, "/")
    screenshot(page, "public-home")
    visit(page, "/register")
    follow(page, "main table a[href*='/verify/']")
    assert page.locator("main h1").inner_text()
    visit(page, "/verify")
    visit(page, "/login")


@pytest.mark.parametrize("size", SIZES)
def test_trainee_learns_practises_and_follows_the_pathway(open_page, size):
    page = open_page(size)
    sign_in(page, "prison.trainee1")
    visit(page, "/")
    screenshot(page, "trainee-home")
    visit(page, "/learning/")
    follow(page, "main a[href^='/courses/']")
    follow(page, "main a[href*='/lessons/']")
    visit(page, "/courses/")
    visit(page, "/sessions/")
    follow(page, "main a[href^='/sessions/']")
    visit(page, "/practice/")
    follow(page, "main table a[href^='/practice/']")
    visit(page, "/practice/new")
    visit(page, "/supervision/")
    visit(page, "/cpd/")
    visit(page, "/accreditation/pathway")
    visit(page, "/notifications")
    visit(page, "/account")


@pytest.mark.parametrize("size", SIZES)
def test_supervisor_assesses_practice(open_page, size):
    page = open_page(size)
    sign_in(page, "prison.supervisor")
    visit(page, "/")
    screenshot(page, "supervisor-home")
    visit(page, "/supervision/queue")
    follow(page, "main table a[href*='/assess']")
    visit(page, "/supervision/new")


@pytest.mark.parametrize("size", SIZES)
def test_trainer_runs_sessions_and_follows_learners(open_page, size):
    page = open_page(size)
    sign_in(page, "prison.trainer")
    visit(page, "/")
    screenshot(page, "trainer-home")
    visit(page, "/training/learners")
    visit(page, "/sessions/")
    follow(page, "main table a[href^='/sessions/']")
    visit(page, "/sessions/new")
    visit(page, "/training/enrol")
    visit(page, "/cpd/to-approve")


@pytest.mark.parametrize("size", SIZES)
def test_lead_reads_the_dashboard_and_manages_people(open_page, size):
    page = open_page(size)
    sign_in(page, "prison.lead")
    visit(page, "/")
    screenshot(page, "lead-home")
    visit(page, "/reports/")
    visit(page, "/reports/schemes/hmp-northfield/practitioners")
    follow(page, "main table a[href*='/accreditation/pathway/']")
    visit(page, "/people/")
    follow(page, "main table a[href^='/people/']")
    visit(page, "/people/new")
    visit(page, "/people/import")
    visit(page, "/schemes/")


@pytest.mark.parametrize("size", SIZES)
def test_admin_decides_applications_and_oversees_schemes(open_page, size):
    page = open_page(size)
    sign_in(page, "admin")
    visit(page, "/")
    screenshot(page, "admin-home")
    visit(page, "/accreditation/applications/")
    follow(page, "main table a[href*='/accreditation/applications/']")
    visit(page, "/reports/admin")
    visit(page, "/schemes/")
    follow(page, "main table a[href^='/schemes/']")
    visit(page, "/schemes/new")
    visit(page, "/admin/supervisors")
    visit(page, "/admin/outbox")
