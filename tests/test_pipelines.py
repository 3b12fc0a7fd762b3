"""CI workflows and pre-commit hooks: they parse, and every ``invoke`` they run exists."""

from __future__ import annotations

import importlib
import re
import shlex
import subprocess
import sys

import pytest
import yaml
from invoke import Collection

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads a bare `on:` key as True.
    if True in data:
        data["on"] = data.pop(True)
    return data


@pytest.fixture(scope="module")
def tasks() -> Collection:
    sys.path.insert(0, str(ROOT))
    try:
        return Collection.from_module(importlib.import_module("tasks"))
    finally:
        sys.path.remove(str(ROOT))


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def uses(workflow: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(workflow) if "uses" in step]


def invocations(script: str) -> list[list[str]]:
    """Every ``invoke ...`` command line in a shell script."""
    found = []
    for line in script.replace("\\\n", " ").splitlines():
        for command in re.split(r"&&|\|\||;|\|", line):
            words = shlex.split(command, comments=True)
            if words and words[0] in {"invoke", "inv"}:
                found.append(words[1:])
    return found


def commands() -> list[list[str]]:
    runs = [
        step["run"]
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for step in steps(load(path))
        if "run" in step
    ]
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [h["entry"] for repo in hooks["repos"] for h in repo["hooks"] if "entry" in h]
    return [call for script in [*runs, *entries] for call in invocations(script)]


def test_workflows_run_invoke_tasks():
    called = {call[0] for call in commands()}
    assert {"check", "test", "preview"} <= called


def test_every_invoked_task_and_option_exists(tasks):
    for call in commands():
        name, options = call[0], [word for word in call[1:] if word.startswith("--")]
        assert name in tasks.task_names, call
        flags = {f"--{flag}" for arg in tasks[name].get_arguments() for flag in arg.names}
        assert {o.split("=")[0] for o in options} <= flags, call


def test_pull_request_workflow():
    workflow = load(WORKFLOWS / "pr.yml")
    assert "pull_request" in workflow["on"]
    assert uses(workflow) == [
        "actions/checkout",
        "actions/setup-python",
        "actions/upload-artifact",
    ]
    setup = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/setup-python"))
    assert str(setup["with"]["python-version"]) == "3.11"
    scripts = "\n".join(s.get("run", "") for s in steps(workflow))
    assert re.search(r"apt-get install .*default-jre-headless", scripts)
    assert re.search(r"apt-get install .*chromium", scripts)
    assert "pip install -r requirements.txt" in scripts
    order = [call[0] for s in steps(workflow) for call in invocations(s.get("run", ""))]
    assert order == ["check", "test", "preview"]
    assert "invoke check --format github" in scripts
    upload = steps(workflow)[-1]
    assert upload["with"]["path"].rstrip("/") == "output"


def test_deploy_workflow():
    workflow = load(WORKFLOWS / "deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert uses(workflow) == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    build = next(s for s in steps(workflow) if "invoke preview" in s.get("run", ""))
    assert build["env"]["SITEURL"] == "${{ steps.pages.outputs.base_url }}"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"


def test_publishconf_takes_siteurl_from_the_environment():
    text = (ROOT / "publishconf.py").read_text(encoding="utf-8")
    assert 'os.environ.get("SITEURL"' in text


def test_pre_commit_config_has_the_hooks():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {repo["repo"]: [h["id"] for h in repo["hooks"]] for repo in config["repos"]}
    ruff = hooks["https://github.com/astral-sh/ruff-pre-commit"]
    assert {"ruff-format"} <= set(ruff) and {"ruff", "ruff-check"} & set(ruff)
    standard = hooks["https://github.com/pre-commit/pre-commit-hooks"]
    assert {"trailing-whitespace", "end-of-file-fixer"} <= set(standard)
    [local] = [repo for repo in config["repos"] if repo["repo"] == "local"]
    [content] = [h for h in local["hooks"] if "invoke check" in h["entry"]]
    assert content["pass_filenames"] is False
    files = re.compile(content["files"])
    assert files.search("content/articles/2024-05-23-x.md")
    assert files.search("content/entities/nio.md")
    assert not files.search("plugins/roundup/check.py")


def test_ruff_hook_matches_the_pinned_ruff():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [ruff] = [r for r in config["repos"] if r["repo"].endswith("ruff-pre-commit")]
    pins = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert f"ruff=={ruff['rev'].removeprefix('v')}" in pins


def test_pre_commit_accepts_the_config():
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("package", ["nh3==0.3.8", "pyyaml==6.0.3"])
def test_requirements_pin(package):
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").lower().splitlines()
    assert package in lines


def test_new_tasks_are_documented(tasks):
    for name in ("check", "entity"):
        assert (tasks[name].__doc__ or "").strip(), name
        assert len(tasks[name].__doc__.strip().splitlines()) == 1
