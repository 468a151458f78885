"""`factwatch browse`: the store in Datasette (optional extra `browse`), read-only, with table and
column descriptions and the queries a fact-checker needs (factwatch/browse.yaml)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import click
import yaml

from factwatch.config import Settings
from factwatch.options import with_settings

METADATA = Path(__file__).with_name("browse.yaml")


def build_metadata(db_path: Path) -> dict:
    """The shipped metadata, keyed by the database name Datasette gives the file (its stem)."""
    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    (database,) = metadata["databases"].values()
    metadata["databases"] = {db_path.stem: database}
    return metadata


def datasette_command(db_path: Path, metadata_path: Path, host: str, port: int, open_browser: bool) -> list[str]:
    command = [sys.executable, "-m", "datasette", "serve", str(db_path), "--metadata", str(metadata_path),
               "--host", host, "--port", str(port)]
    return [*command, "--open"] if open_browser else command


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on (keep 127.0.0.1 unless you mean to share it)")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to serve on (0: any free port)")
@click.option("--open", "open_browser", is_flag=True, help="Open the browser")
@with_settings
def browse(settings: Settings, host: str, port: int, open_browser: bool) -> None:
    """Open the store in Datasette: tables with descriptions, and canned queries (pending alerts,
    findings by fact, articles by outlet, crawl health). Needs `pip install -e '.[browse]'`.

    \b
    Example:
        factwatch --db factwatch.db browse --open
    """
    from factwatch.store import open_db

    if importlib.util.find_spec("datasette") is None:
        raise click.ClickException("Datasette가 설치되어 있지 않습니다: pip install -e '.[browse]'")
    if not settings.db_path.exists():
        raise click.ClickException(f"{settings.db_path}: 저장소가 없습니다 (factwatch run 또는 factwatch demo를 먼저 실행하세요)")
    open_db(settings.db_path).close()  # a usable factwatch store, migrated, before anyone reads it
    with tempfile.TemporaryDirectory(prefix="factwatch-browse-") as folder:
        metadata_path = Path(folder) / "metadata.json"
        metadata_path.write_text(json.dumps(build_metadata(settings.db_path), ensure_ascii=False), encoding="utf-8")
        click.echo(f"{settings.db_path}: http://{host}:{port}/ (Ctrl-C로 끝냅니다)", err=True)
        try:
            code = subprocess.call(datasette_command(settings.db_path, metadata_path, host, port, open_browser))
        except KeyboardInterrupt:
            code = 0
    if code:
        raise SystemExit(code)


COMMANDS = [browse]
