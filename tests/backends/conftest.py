"""A real PostgreSQL server for the test session, started from Debian's binaries.

The server lives in a temporary directory: trust authentication, TCP on 127.0.0.1 at a free
port, its unix socket in the same directory, fsync off (a throwaway cluster). PostgreSQL refuses
to run as root, so when the tests run as root the cluster is owned by, and run as, the
``postgres`` system user (``runuser -u postgres``). The server is stopped at teardown.

Fails (with the reason; never skips) when the server binaries, the ``postgres`` user or the Ibis
PostgreSQL backend (psycopg) are missing. ``make system`` installs Debian's ``postgresql`` package
when ``/usr/lib/postgresql/*/bin/initdb`` does not exist, and a Java runtime for Spark.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest

#: Where Debian's postgresql-NN packages put the server binaries.
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
SERVER_USER = "postgres"
START_TIMEOUT_S = 120


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    socket_dir: Path

    def connect_kwargs(self, database: str = "postgres") -> dict[str, object]:
        return {"host": self.host, "port": self.port, "user": self.user, "database": database}



def missing(what: str) -> NoReturn:
    """A test dependency is absent: a failure, never a skip (`make test` installs them all)."""
    pytest.fail(f"{what}; `make test` installs every test dependency (see the Makefile)", pytrace=False)

def _server_bin_dir() -> Path | None:
    """The newest installed major version's bin directory with initdb, pg_ctl and postgres."""
    candidates = [
        p
        for p in Path("/").glob(PG_BIN_GLOB.lstrip("/"))
        if all((p / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres"))
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as_owner(cmd: list[str], as_user: str | None) -> subprocess.CompletedProcess[str]:
    argv = ["runuser", "-u", as_user, "--", *cmd] if as_user else cmd
    return subprocess.run(argv, capture_output=True, text=True, timeout=START_TIMEOUT_S, check=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    if importlib.util.find_spec("psycopg") is None:
        missing("the Ibis PostgreSQL backend is not installed (pip install '.[postgres]')")
    bin_dir = _server_bin_dir()
    if bin_dir is None:
        missing(
            f"no PostgreSQL server binaries ({PG_BIN_GLOB}/initdb); `make test` installs Debian's postgresql"
        )
    as_user: str | None = None
    if os.geteuid() == 0:  # postgres refuses to run as root
        try:
            owner = pwd.getpwnam(SERVER_USER)
        except KeyError:
            missing(f"running as root and there is no {SERVER_USER!r} user to run the server as")
        if shutil.which("runuser") is None:
            missing("running as root and `runuser` is missing")
        as_user = SERVER_USER
    root = Path(tempfile.mkdtemp(prefix="creatorlens-pg-"))
    if as_user:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    data_dir, log_file = root / "data", root / "server.log"
    try:
        init = _run_as_owner(
            [str(bin_dir / "initdb"), "-D", str(data_dir), "-A", "trust", "-U", SERVER_USER,
             "-E", "UTF8", "--locale=C", "--no-sync"],
            as_user,
        )  # fmt: skip
        if init.returncode != 0:
            pytest.fail(f"initdb failed: {init.stderr or init.stdout}")
        port = 0
        for _attempt in range(3):  # the free port can be taken between choosing and binding it
            port = _free_port()
            options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root} -F"
            start = _run_as_owner(
                [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-l", str(log_file), "-w",
                 "-t", str(START_TIMEOUT_S), "-o", options, "start"],
                as_user,
            )  # fmt: skip
            if start.returncode == 0:
                break
        else:
            log = log_file.read_text(errors="replace") if log_file.exists() else ""
            pytest.fail(f"PostgreSQL did not start: {start.stderr or start.stdout}\n{log[-2000:]}")
        yield PostgresServer("127.0.0.1", port, SERVER_USER, root)
        _run_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-m", "fast", "-w", "stop"], as_user)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres_database(postgres_server: PostgresServer) -> Iterator[dict[str, object]]:
    """A fresh database for one test module; yields ``ibis.postgres.connect`` keyword arguments."""
    import psycopg

    name = f"creatorlens_{uuid.uuid4().hex[:12]}"
    admin = postgres_server.connect_kwargs()
    admin["dbname"] = admin.pop("database")
    with psycopg.connect(**admin, autocommit=True) as con:  # type: ignore[arg-type]
        con.execute(f'CREATE DATABASE "{name}"')
    yield postgres_server.connect_kwargs(name)
    with contextlib.suppress(psycopg.Error), psycopg.connect(**admin, autocommit=True) as con:  # type: ignore[arg-type]
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def spark_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A local two-core Spark session (needs pyspark and a Java runtime); stopped at teardown.

    Its warehouse and metastore live in a temporary directory, not in the working directory.
    """
    if importlib.util.find_spec("pyspark") is None:
        missing("pyspark is not installed (pip install 'ibis-framework[pyspark]')")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        missing("Spark needs a Java runtime (Java 17) and none was found")
    from pyspark.sql import SparkSession

    scratch = tmp_path_factory.mktemp("spark")
    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={scratch}")
        .appName("creatorlens-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
