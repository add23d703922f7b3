"""A throwaway PostgreSQL cluster for the office tests: Debian's ``postgresql`` package,
a cluster in a temporary folder, TLS only, stopped and removed afterwards.

As root, the cluster runs as the package's ``postgres`` user (PostgreSQL
refuses to run as root), through ``runuser``. The test CA and the server's
certificate are made here (``trustme``); clients connect with
``sslmode=verify-full`` and that CA, over ``hostssl`` (``pg_hba.conf`` refuses
everything else but the superuser's local socket).
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import trustme

SUPERUSER = "postgres"
INSTALL_HINT = (
    "The office tests need PostgreSQL (Debian's 'postgresql' package): run "
    "'scripts/system-deps.sh test' (make test does), or 'apt-get install postgresql'."
)


def pg_bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has ``initdb``."""
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if not found:
        return None
    newest = max(found, key=lambda p: int(Path(p).parts[-3].split(".")[0]))
    return Path(newest).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    """One running cluster; ``dsn()`` for a connection string, ``stop``/``start`` for faults."""

    bin_dir: Path
    root: Path
    port: int
    password: str
    ca: trustme.CA
    run_as: str | None
    ca_file: Path = field(init=False)

    def __post_init__(self) -> None:
        self.ca_file = self.root / "ca.pem"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def _run(self, args: Sequence[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def init(self) -> None:
        pwfile = self.root / "pw"
        pwfile.write_text(self.password + "\n")
        server = self.ca.issue_cert("localhost", "127.0.0.1")
        server.cert_chain_pems[0].write_to_path(str(self.root / "server.crt"))
        server.private_key_pem.write_to_path(str(self.root / "server.key"))
        os.chmod(self.root / "server.key", 0o600)
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        if self.run_as:
            user = pwd.getpwnam(self.run_as)
            for path in [self.root, *self.root.iterdir()]:
                os.chown(path, user.pw_uid, user.pw_gid)
        self._run(
            [
                str(self.bin_dir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                "--pwfile",
                str(pwfile),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        (self.data / "pg_hba.conf").write_text(
            # The superuser's socket for set-up; TLS for everyone else, nothing in the clear.
            f"local all {SUPERUSER} trust\n"
            "hostssl all all 127.0.0.1/32 scram-sha-256\n"
            "hostnossl all all 0.0.0.0/0 reject\n"
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.root}'\n"
                f"ssl = on\nssl_cert_file = '{self.root / 'server.crt'}'\n"
                f"ssl_key_file = '{self.root / 'server.key'}'\n"
                # A test cluster: durability against an OS crash is not what is tested
                # (a killed server still loses nothing it acknowledged: the WAL is written).
                "fsync = off\nfull_page_writes = off\nmax_connections = 60\n"
                "shared_buffers = 16MB\n"
            )

    def start(self) -> None:
        self._run(
            [
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log_file),
                "-w",
                "-t",
                "60",
                "start",
            ]
        )

    def stop(self, mode: str = "fast") -> None:
        """``fast`` ends sessions, stops cleanly; ``immediate`` is a crash (recovery at start)."""
        self._run([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])

    def running(self) -> bool:
        result = self._run(
            [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "status"], check=False
        )
        return result.returncode == 0

    def server_alive(self) -> bool:
        """``running()`` without starting ``pg_ctl`` (a process of its own, a few ms
        each test): the server's pid file, and that process still there."""
        try:
            pid = int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
            os.kill(pid, 0)
        except (OSError, ValueError):
            return False
        return True

    def dsn(
        self,
        dbname: str = "postgres",
        user: str = SUPERUSER,
        password: str | None = None,
        *,
        port: int | None = None,
        ca_file: Path | None = None,
    ) -> str:
        """A libpq URL over TLS, verified against the test CA (``ca_file`` to use another)."""
        secret = self.password if password is None else password
        return (
            f"postgresql://{user}:{secret}@localhost:{port or self.port}/{dbname}"
            f"?sslmode=verify-full&sslrootcert={ca_file or self.ca_file}&connect_timeout=5"
        )

    def server_url(self, dbname: str, *, port: int | None = None) -> str:
        """What ``kiosk enrol --server`` is given: no user, no password."""
        return f"postgresql://localhost:{port or self.port}/{dbname}"

    def create_database(self, template: str | None = None) -> str:
        """A new database: empty, or a copy of ``template`` (``schema_template``)."""
        import psycopg  # the driver: only in the office tests

        name = f"clinic_{secrets.token_hex(4)}"
        copy = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{copy}'.encode())
        return name

    def schema_template(self) -> str:
        """A database with the office schema migrated and nothing else (no roles, no
        grants, no clinic key: those are named after each database), to copy for each
        test's clinic; its name. A copy costs less than migrating a new one."""
        import psycopg

        from kiosk.office.schema import migrate

        name = self.create_database()
        with psycopg.connect(self.dsn(name)) as conn:
            migrate(conn)
        return name

    def cleanup(self) -> None:
        if self.running():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> Cluster:
    """Make and start a cluster; raises RuntimeError (with ``INSTALL_HINT``) when there is none."""
    bin_dir = pg_bin_dir()
    if bin_dir is None:
        raise RuntimeError(INSTALL_HINT)
    run_as: str | None = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError(
                "Running as root, the office tests need the 'postgres' user that Debian's "
                "'postgresql' package makes. " + INSTALL_HINT
            ) from None
        run_as = "postgres"
    root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    cluster = Cluster(
        bin_dir=bin_dir,
        root=root,
        port=free_port(),
        password=secrets.token_urlsafe(16),
        ca=trustme.CA(),
        run_as=run_as,
    )
    try:
        cluster.init()
        cluster.start()
    except subprocess.CalledProcessError as exc:
        log = cluster.log_file.read_text() if cluster.log_file.exists() else ""
        cluster.cleanup()
        raise RuntimeError(
            f"The test PostgreSQL did not start ({exc.cmd[-1]}): {exc.stderr}{log}"
        ) from None
    except BaseException:
        cluster.cleanup()
        raise
    return cluster


def on_linux() -> bool:
    return sys.platform.startswith("linux")
