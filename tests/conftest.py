"""Shared fixtures: Markdown rendering with the plugin, real site builds, a server."""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from markdown import Markdown

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from roundup.analysis.extension import RoundupExtension  # noqa: E402
from roundup.analysis.matching import Matcher  # noqa: E402
from roundup.build import build_site  # noqa: E402

MARKDOWN = {
    "extensions": [
        "markdown.extensions.extra",
        "roundup.analysis.typography",
        "markdown.extensions.meta",
    ],
    "output_format": "html5",
}


SKIP = object()  # what a ``noting`` note returns for a call it does not note


def noting(monkeypatch, owner: type, method: str, note) -> list:
    """What ``note(self, *args, **kwargs)`` says of each call of ``owner.method``
    (:data:`SKIP`: nothing), made before the method runs as usual."""
    noted: list = []
    original = getattr(owner, method)

    def wrapper(self, *args, **kwargs):
        value = note(self, *args, **kwargs)
        if value is not SKIP:
            noted.append(value)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, method, wrapper)
    return noted


def set_aside(folder: Path, pages: int) -> Path:
    """``folder`` as ``build_site`` leaves a replaced site: ``site/`` inside,
    here with ``pages`` pages."""
    for n in range(pages):
        (folder / f"site/p{n}").mkdir(parents=True)
        (folder / f"site/p{n}/index.html").write_text("page")
    return folder


def gone(path: Path, seconds: float = 30) -> bool:
    """Whether ``path`` disappears within ``seconds`` (deleted in the background)."""
    deadline = time.monotonic() + seconds
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return not path.exists()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path) with the SHA-256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


SORA = "articles/2024-05-23-why-so-few-sora-copycats-in-china.md"
# The two shipped roundups' pages in the built site.
SORA_PAGE = "2024/05/why-so-few-sora-copycats-in-china/index.html"
FUNDS_PAGE = "2024/03/funds-pour-into-chinese-video-generation/index.html"


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped content, built from the project folder."""
    monkeypatch.chdir(ROOT)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


def add_sentence(content: Path) -> None:
    """A sentence naming AIsphere in a shipped roundup: the article and the
    entity page change (the latter only where Pagefind does not look)."""
    path = content / SORA
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "in the near future.", "in the near future. AIsphere disagrees with them.", 1
        ),
        encoding="utf-8",
    )


def render(text: str, names: dict[str, str] | None = None, path: str = "a.md"):
    """Markdown through the roundup extension: (html, analysis)."""
    ext = RoundupExtension(Matcher(names or {}), lambda slug: f"/entities/{slug}/")
    md = Markdown(extensions=[*MARKDOWN["extensions"], ext], output_format="html5")
    ext.start(path)
    html = md.convert(text)
    return html, ext.take()


def project_copy(folder: Path) -> Path:
    """A project of its own: a copy of the content and settings, the
    project's theme and plugins (linked)."""
    folder.mkdir(exist_ok=True)
    for name in ("theme", "plugins"):
        (folder / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copy(ROOT / "pelicanconf.py", folder)
    return folder


def build(content: Path, out: Path, cache: Path | None = None, **overrides) -> dict[str, str]:
    """Build ``content`` into ``out`` (with the content cache in ``cache``); its snapshot."""
    caching = {"LOAD_CONTENT_CACHE": bool(cache), "CACHE_CONTENT": bool(cache)}
    if cache:
        caching["CACHE_PATH"] = str(cache)
    build_site("pelicanconf.py", str(out), {"PATH": str(content), **caching, **overrides})
    return snapshot(out)


def run_invoke(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``invoke ARGS`` with this project's tasks, run from ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(ROOT), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def site(tmp_path_factory, port) -> Path:
    """The shipped content built as for production, addressed at the test server.

    Includes the Pagefind search index (``search=True``), as ``invoke build`` does."""
    out = tmp_path_factory.mktemp("site") / "output"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        build_site(
            "pelicanconf.py",
            str(out),
            {
                "SITEURL": f"http://127.0.0.1:{port}",
                "FEED_DOMAIN": f"http://127.0.0.1:{port}",
                "RELATIVE_URLS": False,
            },
            search=True,
        )
    finally:
        os.chdir(cwd)
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        pass


@pytest.fixture(scope="session")
def server(site, port) -> str:
    """``site`` served over HTTP on 127.0.0.1; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    httpd.server_close()


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, tmp_path_factory):
    """pytest-playwright drives Debian's Chromium, never a downloaded browser."""
    os.environ["TMPDIR"] = str(tmp_path_factory.mktemp("chromium-tmp"))
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
