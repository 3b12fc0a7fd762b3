"""How a build stops: the reason is logged first, then one of these is raised."""

from __future__ import annotations


class BuildStopped(SystemExit):
    """The build cannot go on; what is wrong was logged as ``path:line`` lines.

    A ``SystemExit`` (status 1): plain ``pelican`` ends with the lines and one
    critical line, not a Python traceback (it prints one for any ``Exception``),
    and ``build_site`` catches it like any other failure.
    """

    def __init__(self, summary: str) -> None:
        super().__init__(1)
        self.summary = summary

    def __str__(self) -> str:
        return self.summary


class ContentError(BuildStopped):
    """The content has errors: the build stops before anything is written."""
