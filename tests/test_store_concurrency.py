"""Two processes writing one store: a read-then-write transaction waits for the lock instead of failing."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from factwatch.store import open_db

WRITER = textwrap.dedent('''
    import sys
    from checker.models import Article
    from factwatch.store.articles import save_article
    from factwatch.store import open_db

    db = open_db(sys.argv[1])
    for n in range(int(sys.argv[3])):
        save_article(db, Article(url=f"https://{sys.argv[2]}.example.kr/{n}", title="제목", text=f"본문 {sys.argv[2]} {n}"))
''')


def test_two_writers_lose_nothing(tmp_path):
    path = tmp_path / "store.db"
    open_db(path)  # migrations first, as `factwatch crawl` does before its child runs
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    writers = [subprocess.Popen([sys.executable, str(script), str(path), name, "150"], stderr=subprocess.PIPE, text=True)
               for name in ("a", "b")]
    errors = [w.communicate(timeout=120)[1] for w in writers]
    assert [w.returncode for w in writers] == [0, 0], errors
    assert open_db(path)["articles"].count == 300


def test_begin_takes_the_write_lock(tmp_path):
    db = open_db(tmp_path / "store.db")
    other = open_db(tmp_path / "store.db")
    other.conn.execute("pragma busy_timeout = 0")
    with db.atomic():
        db["stories"].count  # a read: a deferred BEGIN would not hold the lock yet
        try:
            other.conn.execute("BEGIN IMMEDIATE")
            locked = False
            other.conn.execute("ROLLBACK")
        except Exception as error:  # sqlite3.OperationalError: database is locked
            locked = "locked" in str(error)
    assert locked
