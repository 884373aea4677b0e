"""Playwright against Debian's Chromium, with axe-core for accessibility."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the
# same thread (fixtures, assertions) are safe because the server runs in its own.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    message = (
        f"Chromium not found at {CHROMIUM}: install it with "
        "`sudo apt-get install -y chromium` to run the browser tests"
    )
    if os.environ.get("CI"):
        raise pytest.UsageError(message + " (CI is set, so a missing browser is a failure)")
    skip = pytest.mark.skip(reason=message)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_FLAGS}


@pytest.fixture(autouse=True)
def _plain_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def sign_in(page, live_server, username, password="pw-for-tests-1"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


REFLOW_WIDTH = 320  # WCAG 2.2 reflow (1.4.10): 1280 px at 400% zoom


@pytest.fixture(autouse=True)
def _no_csp_violations(request):
    """Fail the journey on any Content-Security-Policy violation in the browser."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    page.add_init_script(
        """document.addEventListener("securitypolicyviolation", (e) => console.error(
            `Content Security Policy violation: ${e.violatedDirective} blocked ` +
            `${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));"""
    )
    violations = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    unprotected = []

    def on_response(response):
        # Every page the journey opens is served with the policy, so it is enforced.
        document = response.request.resource_type == "document" and response.status < 300
        if document and "content-security-policy" not in response.headers:
            unprotected.append(response.url)

    page.on("console", on_console)
    page.on("response", on_response)
    yield
    assert not violations, "\n".join(violations)
    assert not unprotected, f"pages without a Content-Security-Policy: {unprotected}"


WIDTH_JS = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def assert_reflows(page):
    """At a 320 px wide viewport the page itself does not scroll sideways."""
    size = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": size["height"]})
    try:
        # Responsive charts redraw a little after the resize: give the page 3 s to fit.
        # (Polled from here: wait_for_function would eval in the page, which the CSP forbids.)
        for _ in range(30):
            width = page.evaluate(WIDTH_JS)
            if width <= REFLOW_WIDTH:
                break
            page.wait_for_timeout(100)
    finally:
        page.set_viewport_size(size)
    assert width <= REFLOW_WIDTH, (
        f"{page.url} is {width} px wide in a {REFLOW_WIDTH} px viewport: "
        "it scrolls sideways (a wide table should scroll inside its own container)"
    )


def assert_accessible(page, *, reflow=True):
    """No serious or critical axe-core violations on the page as it is now; and it
    reflows at 320 px unless `reflow=False` (say why where you pass it)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert not bad, "\n".join(bad)
    if reflow:
        assert_reflows(page)
