"""``twentyfive serve`` refuses to serve what it should not."""

from __future__ import annotations

import shutil

import pytest
from tests.conftest import FIXTURES
from tests.serve.conftest import free_port

from twentyfive.cli import EXIT_VIOLATIONS, main
from twentyfive.serve import create_app


def test_serve_builds_first_and_refuses_invalid_data(tmp_path, capsys):
    project = tmp_path / "web"
    shutil.copytree(FIXTURES / "web", project)
    entity = project / "data" / "person" / "mikhail-sholokhov.trig"
    # a statement outside any passage graph has no source: a violation
    entity.write_text(entity.read_text() + '\nperson:mikhail-sholokhov schema:name "x" .\n')
    status = main(["--project", str(project), "serve", "--port", str(free_port())])
    assert status == EXIT_VIOLATIONS
    assert "not serving" in capsys.readouterr().err
    assert not (project / "dist").exists()


def test_a_build_without_documents_is_rebuilt_before_serving(tmp_path, web_dist):
    from twentyfive.serve import missing_files

    assert missing_files(web_dist) == []
    assert "doc/index.json" in missing_files(tmp_path)


def test_a_port_in_use_is_a_clear_error(web_dist, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status = main(["--project", str(FIXTURES / "web"), "serve", "--dist", str(web_dist),
                       "--port", str(port)])  # fmt: skip
    assert status == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_the_app_needs_a_build(tmp_path):
    with pytest.raises(FileNotFoundError, match="twentyfive build"):
        create_app(tmp_path / "dist")


def test_serve_help_lists_every_option(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = capsys.readouterr().out
    for option in (
        "--host",
        "--port",
        "--query-timeout",
        "--processes",
        "--query-workers",
        "--dist",
    ):
        assert option in text
