"""Take the README screenshots from a running demo (`make run`, or any server with `seed_demo`).

    .venv/bin/python docs/screenshots/take.py [http://127.0.0.1:8000]

Headless Chromium (Debian's `chromium`, as the browser tests use), Chinese interface, 1280 px
wide desktop shots and 390 px phone shots; files are written beside this script."""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
HERE = Path(__file__).resolve().parent
PASSWORD = "aeo-demo-2026"  # noqa: S105 - the demo accounts' documented password
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}

# (file, account or None, path, viewport, full page)
SHOTS = [
    ("home.png", None, "/", DESKTOP, True),
    ("home-phone.png", None, "/", PHONE, False),
    ("search.png", None, "/search/?q=信用培育", DESKTOP, False),
    ("training-calendar.png", None, "/training/", DESKTOP, False),
    ("my-enterprise.png", "legal@demo.aeo", "/enterprises/mine/", DESKTOP, True),
    ("bookings-phone.png", "legal@demo.aeo", "/training/bookings/", PHONE, True),
    ("selection-round.png", "officer@demo.aeo", "/enterprises/rounds/", DESKTOP, True),
    ("admin.png", "admin@demo.aeo", "/admin/", DESKTOP, False),
]


def log_in(page, email):
    page.context.clear_cookies()
    page.goto(BASE + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def main():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        for name, email, path, viewport, full in SHOTS:
            context = browser.new_context(viewport=viewport, locale="zh-CN", device_scale_factor=1)
            page = context.new_page()
            if email:
                log_in(page, email)
            if name == "selection-round.png":  # the published round of the officer's list
                page.goto(BASE + path)
                page.locator("a[href^='/enterprises/rounds/']").last.click()
            else:
                page.goto(BASE + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(HERE / name), full_page=full)
            print(name, page.url)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
