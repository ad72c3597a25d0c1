"""Jobs in a forked child: results, exceptions and deaths come back to the parent."""

from __future__ import annotations

import os

import pytest

from twentyfive.forked import PARALLEL_VARIABLE, Forked
from twentyfive.problems import Finding, InputError, Severity


def test_the_result_comes_from_another_process():
    with Forked(lambda: (os.getpid(), [1, 2, 3]), "test") as job:
        pid, value = job.result()
    assert value == [1, 2, 3]
    assert pid != os.getpid()


def test_an_input_error_comes_back_with_its_findings():
    finding = Finding(Severity.VIOLATION, "shape:X", "broken", focus="urn:x")

    def fail():
        raise InputError([finding])

    with Forked(fail, "test") as job, pytest.raises(InputError) as raised:
        job.result()
    assert raised.value.findings == [finding]


def test_an_exception_that_cannot_be_pickled_comes_back_as_its_traceback():
    class Local(Exception):  # a local class cannot be pickled
        pass

    def fail():
        raise Local("deep inside")

    with Forked(fail, "test") as job, pytest.raises(RuntimeError, match="deep inside"):
        job.result()


def test_a_child_that_dies_is_reported_with_its_status():
    with Forked(lambda: os._exit(7), "validation") as job:
        with pytest.raises(RuntimeError, match=r"validation process ended without an answer \(exit status 7\)"):
            job.result()


def test_parallel_off_runs_the_job_here(monkeypatch):
    monkeypatch.setenv(PARALLEL_VARIABLE, "off")
    with Forked(os.getpid, "test") as job:
        assert job.result() == os.getpid()


def test_a_graph_too_big_for_its_forked_processes_in_the_memory_available_runs_here():
    from twentyfive import forked

    available = forked.available_memory()
    assert available is not None and available > 0  # Linux, as the build machines are
    assert forked.parallel_enabled(1000)
    too_many = available // forked.FORK_BYTES_PER_QUAD + 1  # the forked processes would not fit
    assert not forked.parallel_enabled(too_many)
    with Forked(os.getpid, "test", quads=too_many) as job:
        assert job.result() == os.getpid()
