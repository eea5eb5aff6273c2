"""Headless Chromium loads the sample site from a local HTTP server.

Needs Debian's ``chromium`` (``.ci/run`` installs it) and the Playwright
client from the test extra, which drives that browser; nothing is
downloaded at test time. Without Chromium the tests are skipped with the
reason in pytest's summary, except under CI, where that is a failure.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ROOT, require_chromium, run_build

require_chromium()
SCREENSHOTS = ROOT / "tests" / "screenshots"


class RecordingHandler(SimpleHTTPRequestHandler):
    def log_request(self, code="-", size="-"):
        self.server.requests.append((self.path, int(code) if str(code).isdigit() else 0))


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    """The sample site built for, and served from, a free local port."""
    output = tmp_path_factory.mktemp("browser") / "output"
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    server.requests = []
    siteurl = f"http://127.0.0.1:{server.server_address[1]}"
    result = run_build(ROOT / "content", output, siteurl)
    assert result.returncode == 0, result.stdout + result.stderr
    server.RequestHandlerClass = functools.partial(RecordingHandler, directory=str(output))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield siteurl, server
    server.shutdown()
    server.server_close()


def load(browser, url: str, screenshot: Path, viewport: dict):
    """Open ``url``; return the page plus console errors and failed requests."""
    page = browser.new_page(viewport=viewport)
    errors, failures = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failures.append(r.url))
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until="load")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshot), full_page=False)
    return page, errors, failures


@pytest.mark.parametrize("name, viewport", [
    ("index.html", {"width": 1280, "height": 900}),
    ("wood/turning/first-bowl.html", {"width": 1280, "height": 900}),
    ("openstack/devstack-on-a-laptop.html", {"width": 390, "height": 844}),
    ("index.html", {"width": 390, "height": 844}),
    # Comments: under a post and on the recent comments page, on a phone.
    ("wood/turning/first-bowl.html", {"width": 390, "height": 844}),
    ("comments/index.html", {"width": 390, "height": 844}),
    ("about.html", {"width": 390, "height": 844}),
])
def test_pages_load_cleanly(served_site, browser, name, viewport):
    siteurl, server = served_site
    shot = SCREENSHOTS / f"{name.replace('/', '_')}-{viewport['width']}.png"
    page, errors, failures = load(browser, f"{siteurl}/{name}", shot, viewport)
    assert errors == []
    assert failures == []
    # The stylesheets applied: the theme caps the column width.
    assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"
    # Every image arrived and decoded.
    broken = page.evaluate("[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
    assert broken == []
    # Nothing is wider than the screen, on a phone too.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.close()
    fetched = [path for path, status in server.requests if status == 200]
    assert any(path.endswith("/theme/css/midcycle.css") for path in fetched)


def test_post_with_an_image_and_code(served_site, browser):
    siteurl, server = served_site
    page, errors, failures = load(browser, f"{siteurl}/wood/turning/first-bowl.html",
                                  SCREENSHOTS / "first-bowl.png", {"width": 1280, "height": 900})
    assert (errors, failures) == ([], [])
    assert page.evaluate("document.images.length") >= 1
    page.close()
    page, errors, failures = load(browser, f"{siteurl}/openstack/kilo/scheduler.html",
                                  SCREENSHOTS / "scheduler.png", {"width": 1280, "height": 900})
    assert (errors, failures) == ([], [])
    # Pygments' stylesheet colours highlighted code: a keyword is not plain text colour.
    colours = page.evaluate("""() => {
        const keyword = document.querySelector('.highlight .k, .highlight .kn');
        return keyword ? [getComputedStyle(keyword).color, getComputedStyle(document.body).color] : null;
    }""")
    assert colours is not None and colours[0] != colours[1]
    page.close()
