"""A real PostgreSQL server for the tests: initdb in a temporary directory, started on 127.0.0.1 and
a free port (its socket in the same directory), stopped and removed at the end.

PostgreSQL refuses to run as root; as root (CI) the server runs as the ``postgres`` system user
that Debian's package creates (or ``INSIGHT_PG_USER``), and the directory is handed to it.
The binaries come from ``INSIGHT_PG_BIN``, Debian's ``/usr/lib/postgresql/<version>/bin``, or
``PATH``. Nothing is started unless a test asks for PostgreSQL.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

SUPERUSER = "insight"


def find_bin() -> Path | None:
    """The directory holding ``initdb`` and ``postgres``, or ``None`` when PostgreSQL is missing."""
    if env := os.environ.get("INSIGHT_PG_BIN"):
        return Path(env) if (Path(env) / "initdb").exists() else None

    def version(path: str) -> tuple[int, ...]:
        digits = Path(path).parent.name
        return tuple(int(p) for p in digits.split(".") if p.isdigit())

    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    if debian:
        return Path(debian[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """One throw-away server; ``url(db)`` gives a ``postgresql+psycopg://`` URL, ``create_database`` a new database."""

    def __init__(self, bin_dir: Path, timeout: float = 60.0):
        self.bin_dir = bin_dir
        # as root, /tmp (not $TMPDIR, which may sit where the server's user can't reach); a short
        # path too, since the socket's path must fit in about 100 characters
        base = "/tmp" if os.geteuid() == 0 and os.path.isdir("/tmp") else None
        self.root = Path(tempfile.mkdtemp(prefix="insight-pg-", dir=base))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.user = None
        if os.geteuid() == 0:
            self.user = os.environ.get("INSIGHT_PG_USER", "postgres")
            entry = pwd.getpwnam(self.user)  # KeyError: no such user (the fixture says so)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.root.chmod(0o700)
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self._databases = 0
        self._schemas = 0
        self._shared: str | None = None
        try:
            self._run([str(bin_dir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                       "--encoding=UTF8", "--no-locale", "--no-sync"])
            self._start(timeout)
        except BaseException:
            self.close()
            raise

    def _as_user(self) -> dict:
        return {"user": self.user, "group": pwd.getpwnam(self.user).pw_gid, "extra_groups": []} if self.user else {}

    def _run(self, args: list[str]) -> None:
        done = subprocess.run(args, capture_output=True, text=True, cwd=self.root, timeout=120, **self._as_user())
        if done.returncode:
            raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr or done.stdout}")

    def _start(self, timeout: float) -> None:
        for _attempt in range(3):  # a port picked free can be taken before the server binds it
            self.port = _free_port()
            with open(self.log, "ab") as log:
                self.proc = subprocess.Popen(
                    [str(self.bin_dir / "postgres"), "-D", str(self.data), "-p", str(self.port),
                     "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.root}",
                     "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                     "-c", "max_connections=50", "-c", "shared_buffers=16MB"],
                    stdout=log, stderr=subprocess.STDOUT, cwd=self.root, start_new_session=True,
                    **self._as_user(),
                )
            if self._wait_ready(timeout):
                return
        raise RuntimeError(f"PostgreSQL did not start: {self.log.read_text(errors='replace')[-2000:]}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with psycopg.connect(self.dsn("postgres"), connect_timeout=2):
                    return True
            except psycopg.OperationalError:
                time.sleep(0.05)
        self._stop()
        return False

    def dsn(self, database: str) -> str:
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={database}"

    def url(self, database: str, schema: str | None = None) -> str:
        url = f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"
        return url + (f"?options=-csearch_path%3D{schema}" if schema else "")

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database; returns its URL (about 0.3 s: use ``create_schema`` per test)."""
        self._databases += 1
        name = f"{prefix}{self._databases}"
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def create_schema(self) -> str:
        """A new empty schema in the shared test database, as a URL whose connections use only it
        (``options=-csearch_path=…``): as good as a new database for the store, in milliseconds."""
        if self._shared is None:
            self._shared = self.create_database("shared")
        self._schemas += 1
        name = f"s{self._schemas}"
        with psycopg.connect(self.dsn(self._shared.rsplit("/", 1)[1]), autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return f"{self._shared}?options=-csearch_path%3D{name}"

    def _stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # "fast" shutdown: disconnect clients, stop
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def close(self) -> None:
        self._stop()
        shutil.rmtree(self.root, ignore_errors=True)
