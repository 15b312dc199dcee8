"""Printing HTML to PDF with headless Chromium, and reading and rewriting the
outline (bookmarks) of the PDF it writes.

settings.PDF_ENGINE says what prints the pack and report PDFs
(committees/papers.py): "chromium", "weasyprint", or "auto" (Chromium when
settings.CHROMIUM_PATH exists, else WeasyPrint).

Chromium runs in one thread of its own, started on the first print and kept
for the process's life (closed at exit): Playwright's sync API objects belong
to the thread that made them, and the thread that runs them has an event loop
running, in which Django refuses the ORM. So callers in any thread (a view
under runserver, the issuing task, a test that drives its own Playwright)
hand the HTML over and wait for the bytes; prints take turns."""

import atexit
import concurrent.futures
import contextlib
import os
import queue
import threading

from django.conf import settings
from pypdf.generic import Fit

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_SECONDS = 300  # a 240-page pack prints in about 3 s; a loaded machine is slower


def engine():
    """ "chromium" or "weasyprint": what prints PDFs now (settings.PDF_ENGINE)."""
    chosen = settings.PDF_ENGINE
    if chosen == "auto":
        return "chromium" if os.path.exists(settings.CHROMIUM_PATH) else "weasyprint"
    return chosen


def css_string(text):
    """`text` as a CSS string literal, safe inside a <style> element."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace("\n", "\\A ")
    return f'"{escaped}"'


class _Printer:
    """One headless Chromium in a thread of its own, printing one job at a time."""

    def __init__(self):
        self._lock = threading.Lock()
        self._thread = None
        self._jobs = None
        self._pid = None

    def submit(self, html):
        future = concurrent.futures.Future()
        with self._lock:
            if self._thread is None or not self._thread.is_alive() or self._pid != os.getpid():
                # First use, or a forked child (which has no copy of the thread).
                self._jobs, self._pid = queue.Queue(), os.getpid()
                self._thread = threading.Thread(target=self._run, args=(self._jobs,), name="chromium-pdf", daemon=True)
                self._thread.start()
            self._jobs.put((html, future))
        return future

    def stop(self):
        with self._lock:
            thread, jobs = self._thread, self._jobs
            self._thread = None
        if thread is not None and thread.is_alive() and self._pid == os.getpid():
            jobs.put(None)
            thread.join(timeout=10)

    @staticmethod
    def _run(jobs):
        from playwright.sync_api import sync_playwright

        playwright = browser = page = None
        try:
            while (job := jobs.get()) is not None:
                html, future = job
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    if browser is None or not browser.is_connected():
                        playwright = playwright or sync_playwright().start()
                        browser = playwright.chromium.launch(
                            executable_path=settings.CHROMIUM_PATH, args=CHROMIUM_ARGS, timeout=60_000
                        )
                        # One page for every print: a new one costs 0.2 s.
                        # Each print replaces the whole document; the page
                        # runs no script (the print templates have none).
                        page = browser.new_page()
                        page.set_default_timeout(TIMEOUT_SECONDS * 1000)
                    future.set_result(_print_page(page, html))
                except BaseException as error:  # handed to the caller, who raises it
                    future.set_exception(error)
                    browser = _close(browser)  # start afresh for the next job
        finally:
            _close(browser)
            if playwright is not None:
                with contextlib.suppress(Exception):  # exiting anyway
                    playwright.stop()


def _print_page(page, html):
    # set_content rather than a file: a file:// page loads a little quicker,
    # but its PDF is a third larger and slower to post-process.
    page.set_content(html, wait_until="load")
    # Untagged and without Chromium's outline: both cost a third more time
    # and three times the size on a large pack (bench/pack_pdf.py).
    return page.pdf(prefer_css_page_size=True, print_background=True)


def _close(browser):
    if browser is not None:
        with contextlib.suppress(Exception):  # a crashed browser cannot be closed
            browser.close()


_printer = _Printer()
atexit.register(_printer.stop)


def chromium_pdf(html):
    """The PDF Chromium prints of an HTML document (CSS page sizes honoured,
    backgrounds printed), as bytes. The HTML must be self-contained
    (stylesheets inlined): it is loaded as about:blank."""
    return start_chromium_pdf(html).result(timeout=TIMEOUT_SECONDS + 60)


def start_chromium_pdf(html):
    """chromium_pdf(), begun: a concurrent.futures.Future of the bytes, so
    the caller can work meanwhile."""
    return _printer.submit(html)


def destination_pages(reader):
    """{name: page index} of a PDF's named destinations (a pypdf PdfReader).
    Chromium writes one for each element id that a link in the document
    points at: the print templates put an empty link to each anchor whose
    page is wanted ({% pdf_marker %}, committees_tags), such as where a
    paper starts and ends."""
    return {
        str(name).removeprefix("/"): reader.get_destination_page_number(destination)
        for name, destination in reader.named_destinations.items()
    }


def add_bookmarks(writer, bookmarks):
    """Give a PdfWriter an outline of [(title, page index)], in that order."""
    for title, page in bookmarks:
        writer.add_outline_item(title=title, page_number=page, fit=Fit.fit())
