"""Run one build in a fresh process and measure it (wall and CPU time, peak RSS)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "plugins"))


@dataclass(frozen=True)
class Sample:
    """One build: wall time of its process, its own build time, memory, output."""

    variant: str
    wall_s: float  # the whole process, as `invoke build` is felt
    build_s: float  # inside the process, settings to finished output
    cpu_s: float  # user + system time of the process and every process it waited for
    peak_rss_mib: float  # largest single process (the build, a worker or a tool)
    build_rss_mib: float  # the build process itself
    files: int
    html_pages: int
    cleanup_s: float = 0.0  # after the process: until the site it replaced was deleted

    def as_dict(self) -> dict:
        return asdict(self)


def count_files(folder: str) -> dict[str, int]:
    """Files and HTML pages under ``folder``: counted here, after the build
    process ended, so the count is not timed as part of the build."""
    files = html = 0
    for _, _, names in os.walk(folder):
        files += len(names)
        html += sum(1 for name in names if name.endswith(".html"))
    return {"files": files, "html_pages": html}


def replaced_site_deleted(output: str, limit: float = 60.0) -> float:
    """Seconds until no site replaced at ``output`` is left: a build deletes
    the one it replaced in the background, after the swap (not timed as the
    build, but waited for, so that it slows no build measured next)."""
    from roundup.swap import replaced_sites  # noqa: PLC0415

    start, waited = time.perf_counter(), False
    while replaced_sites(output) and time.perf_counter() - start < limit:
        waited = True
        time.sleep(0.002)
    return time.perf_counter() - start if waited else 0.0


def run_build(spec: dict) -> Sample:
    """Build as ``spec`` says (see :mod:`bench.child`) in a new Python process."""
    with tempfile.TemporaryDirectory(prefix="bench-spec-") as folder:
        spec = {**spec, "result": os.path.join(folder, "result.json")}
        path = os.path.join(folder, "spec.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(spec, handle)
        log = os.path.join(folder, "stderr.txt")
        with open(log, "wb") as errors:
            start = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "bench.child", path],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
            cleanup = replaced_site_deleted(spec["output"])
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            with open(log, encoding="utf-8", errors="replace") as handle:
                tail = handle.read()[-3000:]
            raise RuntimeError(f"{spec['variant']} build failed:\n{tail}")
        with open(spec["result"], encoding="utf-8") as handle:
            report = json.load(handle)
    counted = count_files(spec["output"])
    return Sample(
        variant=spec["variant"],
        wall_s=round(wall, 3),
        build_s=round(report["seconds"], 3),
        cpu_s=round(usage.ru_utime + usage.ru_stime, 3),
        peak_rss_mib=round(usage.ru_maxrss / 1024, 1),
        build_rss_mib=round(report["maxrss_self_kib"] / 1024, 1),
        files=counted["files"],
        html_pages=counted["html_pages"],
        cleanup_s=round(cleanup, 3),
    )
