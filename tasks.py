"""Project tasks: ``invoke --list`` shows them, ``invoke --help TASK`` explains one."""

from __future__ import annotations

import datetime
import os
import re
import shlex
import shutil
import sys
import unicodedata
from string import Template
from zoneinfo import ZoneInfo

from invoke import task

ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(ROOT, "plugins"))

CONFIG = {
    "settings_base": "pelicanconf.py",
    "settings_publish": "publishconf.py",
    "deploy_path": "output",
    "github_pages_branch": "gh-pages",
    "host": "127.0.0.1",
    "port": 8000,
}


def _build(settings_file: str, output: str = CONFIG["deploy_path"]) -> None:
    from roundup.build import BuildError, build_site, init_console_logging  # noqa: PLC0415

    init_console_logging()
    try:
        build_site(settings_file, output)
    except BuildError as failure:
        print(
            f"Build failed with {len(failure.messages)} error(s); {output}/ was left unchanged.",
            file=sys.stderr,
        )
        sys.exit(1)


@task
def clean(c):
    """Remove the generated site (output/) and the content cache."""
    for path in (CONFIG["deploy_path"], "cache"):
        if os.path.isdir(path):
            shutil.rmtree(path)


@task
def build(c):
    """Build the site into output/ with pelicanconf.py (fails on content errors)."""
    _build(CONFIG["settings_base"])


@task(pre=[clean])
def rebuild(c):
    """Clean, then build from scratch."""
    _build(CONFIG["settings_base"])


@task
def regenerate(c):
    """Rebuild automatically whenever content, theme or plugin files change."""
    c.run(f"pelican --autoreload -s {CONFIG['settings_base']}", pty=sys.stdout.isatty())


@task
def serve(c):
    """Serve output/ on http://127.0.0.1:8000 (Ctrl-C to stop)."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer  # noqa: PLC0415

    class AddressReuseTCPServer(RootedHTTPServer):
        allow_reuse_address = True

    server = AddressReuseTCPServer(
        CONFIG["deploy_path"], (CONFIG["host"], CONFIG["port"]), ComplexHTTPRequestHandler
    )
    print(f"Serving site at http://{CONFIG['host']}:{CONFIG['port']}/ - Ctrl-C to stop")
    server.serve_forever()


@task
def livereload(c):
    """Build, serve and rebuild on every change, reloading the browser."""
    from livereload import Server  # noqa: PLC0415

    def cached_build():
        _build(CONFIG["settings_base"])

    cached_build()
    server = Server()
    for pattern in ("pelicanconf.py", "content/**/*", "theme/**/*", "plugins/**/*.py"):
        server.watch(pattern, cached_build)
    server.serve(host=CONFIG["host"], port=CONFIG["port"], root=CONFIG["deploy_path"])


@task
def preview(c):
    """Build the production site (publishconf.py) into output/."""
    _build(CONFIG["settings_publish"])


@task
def publish(c):
    """Build with publishconf.py and push output/ to the gh-pages branch."""
    _build(CONFIG["settings_publish"])
    c.run(
        f"ghp-import -b {CONFIG['github_pages_branch']} -n -p -f "
        f"-m {shlex.quote('Publish site')} {CONFIG['deploy_path']}"
    )


@task(help={"args": "extra pytest arguments, e.g. '-k digest -x'"})
def test(c, args=""):
    """Run the full test suite (pytest)."""
    c.run(f"{shlex.quote(sys.executable)} -m pytest {args}", pty=sys.stdout.isatty())


@task
def lint(c):
    """Lint and check formatting with ruff."""
    c.run("ruff check .")
    c.run("ruff format --check .")


def slugify(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "roundup"


@task(help={"title": "the headline of the new roundup", "date": "YYYY-MM-DD (default: today)"})
def new(c, title, date=""):
    """Create content/articles/<date>-<slug>.md from the article template."""
    now = datetime.datetime.now(ZoneInfo("Asia/Shanghai"))
    day = datetime.date.fromisoformat(date) if date else now.date()
    slug = slugify(title)
    path = os.path.join("content", "articles", f"{day.isoformat()}-{slug}.md")
    if os.path.exists(path):
        sys.exit(f"{path} already exists; choose another title or --date")
    with open(os.path.join(ROOT, "scaffolds", "article.md"), encoding="utf-8") as handle:
        text = Template(handle.read()).substitute(
            title=title.replace("\n", " "), date=f"{day.isoformat()} 08:00", slug=slug
        )
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(
        f"Created {path}\nFill in: Subtitle, Tags, Summary, the lead, each ## story, the ## Digest."
    )
