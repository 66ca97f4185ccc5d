"""What browser tests do on a page: sign in, visit, follow a link, check accessibility
with axe-core, take a screenshot."""

from pathlib import Path

from lms.demo.data import DEMO_PASSWORD

HERE = Path(__file__).resolve().parent
AXE_SOURCE = HERE / "vendor" / "axe.min.js"
SCREENSHOTS = HERE / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: 1280 px at 400% zoom: WCAG 1.4.10 (reflow) asks for no sideways scrolling at this width.
ZOOMED = {"width": 320, "height": 256}
SIZES = {"desktop": DESKTOP, "phone": PHONE, "zoomed": ZOOMED}
#: axe-core tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

#: Pages axe has checked in this run: (url, size) pairs, reported at the end.
AXE_CHECKED: list[tuple[str, str]] = []


#: Session cookies of people already signed in through the form in this run.
_SIGNED_IN: dict[str, list] = {}


def sign_in(page, username, password=DEMO_PASSWORD):
    """Sign in through the form the first time; later, reuse that session's cookie (the
    sign-in itself is then already tested, and the run stays fast)."""
    if username in _SIGNED_IN:
        page.context.add_cookies(_SIGNED_IN[username])
        return
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/login" not in page.url, f"{username} could not sign in"
    _SIGNED_IN[username] = page.context.cookies()


def check_accessibility(page):
    """Run axe-core on the page as shown; fail with every WCAG 2.2 A/AA violation."""
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],  // much faster: passes are not detailed
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
            }));
        }""",
        WCAG_TAGS,
    )
    AXE_CHECKED.append((page.url, page.size_name))
    assert not page.console_errors, f"{page.url}: {page.console_errors}"
    assert not violations, f"axe on {page.url} ({page.size_name}):\n" + "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']} at {', '.join(v['targets'])}"
        for v in violations
    )


def visit(page, path):
    """Open `path`, expect a page that is not an error, and check it with axe."""
    response = page.goto(path)
    assert response is not None, path
    assert response.status < 400, f"{path}: {response.status}"
    check_accessibility(page)
    return response


def follow(page, selector):
    """Click the first link matching `selector` (as a person would), then check the page
    it leads to with axe. Returns the address reached."""
    link = page.locator(selector).first
    assert link.count(), f"no {selector} on {page.url}"
    with page.expect_navigation():
        link.click()
    assert "error" not in (page.title() or "").lower(), page.url
    check_accessibility(page)
    return page.url


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{page.size_name}.png"), full_page=True)
