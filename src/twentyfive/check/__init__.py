"""``twentyfive check BASE-URL``: the Linked Data checklist against any deployment.

Only HTTP: it works the same on ``twentyfive serve``, a static site behind nginx, or a
production host. :mod:`.discover` finds what to check, :mod:`.checks` checks it,
:mod:`.report` prints it. Exit codes: 0 every check passed (or was skipped), 1 a check
failed, 2 the deployment could not be reached or the arguments are wrong.
"""

from __future__ import annotations

from twentyfive.check.checks import FAIL, PASS, SKIP, Checker, Options, Result

__all__ = ["FAIL", "PASS", "SKIP", "Checker", "Options", "Result", "run_checks"]


def run_checks(options: Options) -> list[Result]:
    return Checker(options).run()
