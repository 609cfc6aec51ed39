"""PDF of the advisory site through headless Chromium (A4, page numbers from the print CSS).

Chromium is a Debian package (``chromium``); without it :func:`print_pdf` refuses with one
line naming the package, before anything is written.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from irrigate.errors import InputError

__all__ = ["CHROMIUM_NAMES", "chromium_args", "find_chromium", "print_pdf"]

#: Chromium executables tried, in order
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """Return the path of a headless-capable Chromium/Chrome, or None."""
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium_args(browser: str, profile: str) -> list[str]:
    """Command line of a quiet, offline headless Chromium with its own profile folder."""
    return [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--mute-audio",
            f"--user-data-dir={profile}"]


def print_pdf(html_file: Path, pdf_file: Path, timeout: float = 120.0) -> None:
    """Print ``html_file`` to ``pdf_file`` (A4 from the page's CSS) with headless Chromium.

    Raises
    ------
    InputError
        If no Chromium is installed or printing fails.

    """
    browser = find_chromium()
    if browser is None:
        raise InputError("PDF: needs headless Chromium, which is not installed; install it "
                         "(Debian/Ubuntu: apt-get install chromium) or write HTML/Markdown "
                         "(-o DIR/ or -o FILE.html) and print from a browser")
    with tempfile.TemporaryDirectory() as profile:
        cmd = chromium_args(browser, profile) + [
            "--no-pdf-header-footer", f"--print-to-pdf={pdf_file}",
            html_file.resolve().as_uri()]
        done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    if done.returncode != 0 or not pdf_file.exists() or pdf_file.stat().st_size == 0:
        raise InputError(f"PDF: Chromium could not print {html_file.name} (exit "
                         f"{done.returncode}); write HTML instead (-o DIR/)")
