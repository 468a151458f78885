"""A store that cannot be used (corrupt, another program's, read-only, a folder) is one clear line and exit 2."""

from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest

from conftest import ARTICLES, run_cli

ARTICLE = str(ARTICLES / "staff_count_80.json")


def assert_one_clear_line(result, *words):
    assert result.exit_code == 2, result.output  # 1 means "alerts found": never for a broken store
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "Traceback" not in result.output and "sqlite3" not in result.output
    for word in words:
        assert word in lines[0]


def corrupt(tmp_path):
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not a database, only some text that was saved under the wrong name\n" * 20)
    return path


def foreign(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("create table articles (headline text)")
    conn.execute("insert into articles values ('다른 프로그램의 자료')")
    conn.commit()
    conn.close()
    return path


def folder(tmp_path):
    path = tmp_path / "store.db"
    path.mkdir()
    return path


@pytest.mark.parametrize("make, words", [
    (corrupt, ["corrupt.db", "손상"]),
    (foreign, ["other.db", "factwatch 저장소가 아닙니다"]),
    (folder, ["store.db", "폴더"]),
])
@pytest.mark.parametrize("command", [["check", ARTICLE], ["recheck"], ["status"]])
def test_unusable_store_is_one_line_and_exit_2(tmp_path, make, words, command):
    path = make(tmp_path)
    before = path.read_bytes() if path.is_file() else None
    result = run_cli("--db", str(path), *command)
    assert_one_clear_line(result, *words)
    if before is not None:
        assert path.read_bytes() == before  # another program's file is left exactly as it was


def test_a_foreign_store_is_not_written_to(tmp_path):
    path = foreign(tmp_path)
    run_cli("--db", str(path), "check", ARTICLE)
    tables = {row[0] for row in sqlite3.connect(path).execute("select name from sqlite_master where type = 'table'")}
    assert tables == {"articles"}


def test_a_db_path_under_a_file_is_one_line(tmp_path):
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    result = run_cli("--db", str(tmp_path / "plain" / "fw.db"), "check", ARTICLE)
    assert_one_clear_line(result, "fw.db")


@pytest.fixture
def read_only_store(tmp_path):
    """A real store the OS will not let us write: chmod for a normal user; as root (who ignores
    file modes) the immutable attribute, where the file system has it."""
    path = tmp_path / "ro.db"
    assert run_cli("--db", str(path), "check", "--no-store", ARTICLE).exit_code == 1
    run_cli("--db", str(path), "check", ARTICLE)
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    immutable = False
    if os.access(path, os.W_OK):
        immutable = subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
        if not immutable or os.access(path, os.W_OK):
            tmp_path.chmod(0o755)
            pytest.skip("cannot make a file read-only here (root without chattr)")
    yield path
    if immutable:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    tmp_path.chmod(0o755)
    path.chmod(0o644)


def test_read_only_store_is_one_line_and_exit_2(read_only_store):
    other = ARTICLES / "hedge_beyond.json"  # a new article, so the store must be written
    result = run_cli("--db", str(read_only_store), "check", str(other))
    assert_one_clear_line(result, "ro.db", "쓸 수 없습니다")
