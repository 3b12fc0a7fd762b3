"""Project tasks: ``invoke --list`` shows them, ``invoke --help TASK`` explains one."""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import shlex
import shutil
import sys
import traceback
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


def _build(
    settings_file: str, output: str = CONFIG["deploy_path"], overrides: dict | None = None
) -> None:
    if not _try_build(settings_file, output, overrides):
        sys.exit(1)


def _try_build(
    settings_file: str, output: str = CONFIG["deploy_path"], overrides: dict | None = None
) -> bool:
    """Build; on content errors, say so and keep the previous site (``False``)."""
    from roundup.build import BuildError, build_site, init_console_logging  # noqa: PLC0415

    init_console_logging()
    try:
        build_site(settings_file, output, overrides)
    except BuildError:
        print(f"Build failed; {output.rstrip('/')}/ was left unchanged.", file=sys.stderr)
        return False
    return True


# What the watching tasks rebuild on: path -> the livereload pattern for it.
WATCHED = {
    "pelicanconf.py": "pelicanconf.py",
    "content": "content/**/*",
    "theme": "theme/**/*",
    "plugins": "plugins/**/*.py",
}


# Watching tasks keep the content cache (cache/): an edit re-renders what it changes.
WATCH_CACHE = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}


def _watch_build() -> None:
    """One rebuild of a watching task: a failure is reported, and watching goes on."""
    try:
        _try_build(CONFIG["settings_base"], overrides=WATCH_CACHE)
    except Exception:  # a crashing template or plugin: show it, keep the old site
        print(traceback.format_exc(), file=sys.stderr)
        print(f"Build crashed; {CONFIG['deploy_path']}/ was left unchanged.", file=sys.stderr)


def _sources_state(paths: list[str], relevant) -> dict[str, tuple[int, int]]:
    """Size and mtime of every file under ``paths`` that ``relevant`` would watch."""
    from watchfiles import Change  # noqa: PLC0415

    files = [path for path in paths if os.path.isfile(path)]
    for top in paths:
        for folder, _, names in os.walk(top):
            files.extend(os.path.join(folder, name) for name in names)
    state = {}
    for path in files:
        if relevant(Change.modified, path):
            with contextlib.suppress(OSError):  # removed while walking
                stat = os.stat(path)
                state[path] = (stat.st_size, stat.st_mtime_ns)
    return state


@task
def clean(c):
    """Remove the generated site (output/) and the content cache."""
    for path in (CONFIG["deploy_path"], "cache"):
        if os.path.isdir(path):
            shutil.rmtree(path)


@task(
    help={
        "output": f"the folder to build into (default {CONFIG['deploy_path']}/), any volume",
        "cache": "use the content cache (cache/), as regenerate and livereload do",
    }
)
def build(c, output=CONFIG["deploy_path"], cache=False):
    """Build the site into output/ with pelicanconf.py (fails on content errors)."""
    _build(CONFIG["settings_base"], output, WATCH_CACHE if cache else None)


@task(pre=[clean])
def rebuild(c):
    """Clean, then build from scratch."""
    _build(CONFIG["settings_base"])


@task
def regenerate(c):
    """Build, then rebuild on every change to settings, content, theme or plugins.

    Builds as invoke build does; a failed build prints its errors and keeps the
    last good site (Ctrl-C to stop).
    """
    from watchfiles import DefaultFilter, watch  # noqa: PLC0415

    watched = [path for path in WATCHED if os.path.exists(path)]
    relevant = DefaultFilter()
    before = _sources_state(watched, relevant)
    _watch_build()
    # The watcher starts with the loop, after the first build: an edit saved in
    # between shows in a state taken before that build, once the watcher is up.
    with contextlib.suppress(KeyboardInterrupt):
        for changes in watch(
            *watched, watch_filter=relevant, yield_on_timeout=True, rust_timeout=500
        ):
            if changes or (before is not None and _sources_state(watched, relevant) != before):
                _watch_build()
            before = None


@task(help={"port": f"port to serve on (default {CONFIG['port']})"})
def serve(c, port=CONFIG["port"]):
    """Serve output/ on http://127.0.0.1:8000, or another --port (Ctrl-C to stop)."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer  # noqa: PLC0415

    class AddressReuseTCPServer(RootedHTTPServer):
        allow_reuse_address = True

    server = AddressReuseTCPServer(
        CONFIG["deploy_path"], (CONFIG["host"], int(port)), ComplexHTTPRequestHandler
    )
    print(f"Serving site at http://{CONFIG['host']}:{port}/ - Ctrl-C to stop")
    server.serve_forever()


@task(help={"port": f"port to serve on (default {CONFIG['port']})"})
def livereload(c, port=CONFIG["port"]):
    """Build, serve, and rebuild and reload the browser on every change.

    A failed build prints its errors and keeps the last good site served (Ctrl-C to stop).
    """
    from livereload import Server  # noqa: PLC0415

    server = Server()  # first: it reloads on files saved after it was made
    _watch_build()
    for pattern in WATCHED.values():
        server.watch(pattern, _watch_build)
    server.serve(host=CONFIG["host"], port=int(port), root=CONFIG["deploy_path"])


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
    """Run the full test suite (pytest); installs missing browser/validator tools first."""
    c.run(shlex.quote(os.path.join(ROOT, "scripts", "install-test-tools")))
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


@task(help={"format_": "text (default), json, or github for pull-request annotations"})
def check(c, format_="text"):
    """Check all content without building; fail on any error."""
    from roundup.build import BuildError  # noqa: PLC0415
    from roundup.checks.report import render, summary  # noqa: PLC0415
    from roundup.site.check import check_content  # noqa: PLC0415

    try:
        problems = check_content(CONFIG["settings_base"])
    except BuildError as failure:  # the settings themselves
        sys.exit("\n".join(failure.messages))
    try:
        report = render(problems, format_)
    except ValueError as error:
        sys.exit(str(error))
    if report:
        print(report)
    print(summary(problems), file=sys.stderr)
    if any(problem.level == "error" for problem in problems):
        sys.exit(1)


@task(
    help={
        "path": "the article, e.g. content/articles/2024-05-23-my-roundup.md",
        "force": "replace the article's '## Digest' section if it has one",
    }
)
def digest(c, path, force=False):
    """Write the generated digest into an article as a '## Digest' section to refine."""
    from roundup.build import BuildError  # noqa: PLC0415
    from roundup.site.authoring import write_digest  # noqa: PLC0415

    try:
        problems = write_digest(CONFIG["settings_base"], path, bool(force))
    except BuildError as failure:  # the settings themselves
        sys.exit("\n".join(failure.messages))
    if problems:
        sys.exit("\n".join(problem.format() for problem in problems))
    print(f"{path}: the generated digest is now its '## Digest'; refine it, then invoke check")


@task(help={"data": "a JSONL file of stories (default: the dev set, ../shared/eval/)"})
def eval_digest(c, data=""):
    """Score the generated digest against published highlights (ROUGE), with baselines."""
    sys.path.insert(0, ROOT)
    from evaluation.digest import DEV, DataError, main  # noqa: PLC0415
    from roundup.build import BuildError  # noqa: PLC0415

    try:
        print(main(data or DEV))
    except DataError as error:
        sys.exit(str(error))
    except BuildError as failure:
        sys.exit("\n".join(failure.messages))


@task(
    help={
        "name": "the entity's full name, e.g. 'Nio Inc.'",
        "type_": "company, organization, government, person, product or place",
        "slug": "file name without .md (default: from the name)",
    }
)
def entity(c, name, type_, slug=""):
    """Create content/entities/<slug>.md from the entity template."""
    from roundup.glossary.registry import TYPES  # noqa: PLC0415

    if type_ not in TYPES:
        sys.exit(f"unknown type '{type_}'; use one of: {', '.join(TYPES)}")
    slug = slug or slugify(name)
    path = os.path.join("content", "entities", f"{slug}.md")
    if os.path.exists(path):
        sys.exit(f"{path} already exists; edit it, or choose another --slug")
    with open(os.path.join(ROOT, "scaffolds", "entity.md"), encoding="utf-8") as handle:
        text = Template(handle.read()).substitute(name=name.replace("\n", " "), type=type_)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(
        f"Created {path}\nFill in: Aliases (other names, comma-separated), Native-Name "
        "(e.g. the Chinese name), Website (https://...), and the description; "
        "delete lines you do not need."
    )


AUDIT_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
AUDIT_CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def _audit_pages(site: str) -> list[str]:
    """The newest roundup and the most-mentioned entity's page."""
    import glob  # noqa: PLC0415
    import json  # noqa: PLC0415

    articles = sorted(glob.glob(os.path.join(site, "[0-9]*", "[0-9]*", "*", "index.html")))
    with open(os.path.join(site, "entities", "entities.json"), encoding="utf-8") as handle:
        entities = json.load(handle)["entities"]
    top = max(entities, key=lambda e: (e["mention_count"], e["slug"]))
    return [os.path.relpath(os.path.dirname(articles[-1]), site) + "/", f"entities/{top['slug']}/"]


def _lighthouse(url: str, report: str, tmp: str) -> dict[str, float]:
    """One Lighthouse run (npm, pinned in package.json); the category scores."""
    import json  # noqa: PLC0415
    import subprocess  # noqa: PLC0415

    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    command = [os.path.join(ROOT, "node_modules", ".bin", "lighthouse"), url, "--quiet"]
    command += [f"--chrome-flags={AUDIT_CHROME_FLAGS}", "--output=json", "--output=html"]
    command += [f"--only-categories={','.join(AUDIT_CATEGORIES)}", f"--output-path={report}"]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chromium, "TMPDIR": tmp})
    with open(f"{report}.report.json", encoding="utf-8") as handle:
        categories = json.load(handle)["categories"]
    return {name: categories[name]["score"] or 0.0 for name in AUDIT_CATEGORIES}


def _audit_page(base: str, path: str, runs: int, tmp: str) -> dict[str, float]:
    """Median score per category over ``runs`` runs (Lighthouse's advice against noise)."""
    import statistics  # noqa: PLC0415

    reports = os.path.join(ROOT, "test-artifacts", "lighthouse")
    os.makedirs(reports, exist_ok=True)
    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
    scores = [
        _lighthouse(f"{base}/{path}", os.path.join(reports, f"{name}-{n}"), tmp)
        for n in range(1, runs + 1)
    ]
    return {c: statistics.median(s[c] for s in scores) for c in AUDIT_CATEGORIES}


@task(
    help={
        "pages": "comma-separated site paths (default: newest roundup, most-mentioned entity)",
        "runs": "Lighthouse runs per page; the median counts (default 3)",
        "minimum": "lowest passing score of each category (default 0.95)",
    }
)
def audit(c, pages="", runs=3, minimum=0.95):
    """Lighthouse (mobile) on a roundup and an entity page: each category must reach 0.95."""
    import functools  # noqa: PLC0415
    import http.server  # noqa: PLC0415
    import tempfile  # noqa: PLC0415
    import threading  # noqa: PLC0415

    from roundup.build import build_site  # noqa: PLC0415

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    failed = []
    with tempfile.TemporaryDirectory(prefix="audit-") as tmp:
        site = os.path.join(tmp, "site")
        httpd = http.server.ThreadingHTTPServer(
            (CONFIG["host"], 0), functools.partial(Quiet, directory=site)
        )
        base = f"http://{CONFIG['host']}:{httpd.server_address[1]}"
        build_site(CONFIG["settings_base"], site, {"SITEURL": base, "FEED_DOMAIN": base})
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            for path in pages.split(",") if pages else _audit_pages(site):
                for category, score in _audit_page(base, path, int(runs), tmp).items():
                    print(f"{score:.2f}  {category:15} {path}")
                    if score < float(minimum):
                        failed.append(f"{path} {category} {score:.2f}")
        finally:
            httpd.shutdown()
    if failed:
        sys.exit(f"Lighthouse below {minimum}: " + "; ".join(failed))
    print(f"Lighthouse: every category >= {minimum}; reports in test-artifacts/lighthouse/")


@task(
    optional=["json"],
    help={
        "articles": "synthetic roundups to build (default 1000)",
        "entities": "synthetic glossary entities (default 2000)",
        "rounds": "A/B builds of each, alternating; medians are reported (default 3)",
        "rebuild": "measure the edit loop: content cache on, edit one article, rebuild",
        "profile": "also show where this project's build spends its time",
        "json": "write the results as JSON to this path (no path: JSON on stdout)",
        "search": "include the project's search step (Pagefind) in A (default: yes)",
        "ablate": "measure each speed mechanism: A with each one off in turn, full and rebuild",
    },
)
def bench(
    c,
    articles=1000,
    entities=2000,
    rounds=3,
    rebuild=False,
    profile=False,
    json=None,
    search=True,
    ablate=False,
):
    """Benchmark this project's build against plain Pelican on a synthetic corpus."""
    sys.path.insert(0, ROOT)
    from bench.run import Options, main  # noqa: PLC0415

    options = Options(
        int(articles),
        int(entities),
        int(rounds),
        bool(rebuild),
        bool(profile),
        search=bool(search),
        ablate=bool(ablate),
    )
    main(options, json if json is not None else False)
