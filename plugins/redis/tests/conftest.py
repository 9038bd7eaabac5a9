"""A real ``redis-server`` per test, on a free loopback port, no persistence, in a temporary folder; killed after.

Never a mock: the suite proves the scripts against the server that runs them. Debian's ``redis-server`` package
(``apt-get install -y redis-server``; ``scripts/test`` installs it when it can).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return int(s.getsockname()[1])


class RedisServer:
    """A ``redis-server`` process on 127.0.0.1: ``url``, and the faults the tests inject (kill, pause, restart)."""

    def __init__(self, exe: str, folder: Path, extra: tuple[str, ...] = ()) -> None:
        self.exe = exe
        self.folder = folder
        self.extra = extra  # more redis-server options (a refused command, an eviction policy)
        self.port = free_port()
        self.url = f'redis://127.0.0.1:{self.port}/0'
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10.0) -> None:
        log = open(self.folder / 'redis.log', 'ab')
        self.proc = subprocess.Popen(
            [self.exe, '--port', str(self.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
             '--dir', str(self.folder), '--daemonize', 'no', *self.extra],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(('127.0.0.1', self.port), timeout=0.2) as s:
                    s.sendall(b'PING\r\n')
                    if s.recv(16).startswith(b'+PONG'):
                        return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f'redis-server did not start on port {self.port}: {self.log()}')
            time.sleep(0.02)

    def kill(self) -> None:
        """SIGKILL: connections drop, the port refuses; counts are gone (no persistence)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def pause(self) -> None:
        """SIGSTOP: the port accepts and nothing answers (a hung or overloaded Redis)."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGCONT)

    def log(self) -> str:
        path = self.folder / 'redis.log'
        return path.read_text(errors='replace')[-2000:] if path.exists() else ''

    def stop(self) -> None:
        """Continue a paused server, then end it (SIGTERM, SIGKILL when it does not end)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            self.resume()  # a paused server ignores SIGTERM until continued
        except ProcessLookupError:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()

    def version(self) -> str:
        out = subprocess.run([self.exe, '--version'], capture_output=True, text=True, timeout=10).stdout
        return out.split()[2].removeprefix('v=') if len(out.split()) > 2 else out.strip()


@pytest.fixture
def redis_servers(tmp_path: Path) -> Iterator[Callable[..., RedisServer]]:
    """Starts redis-servers (``redis_servers(*options)``), each in a folder of its own; stops them all after."""
    exe = shutil.which('redis-server')
    if exe is None:
        pytest.fail(
            'redis-server is not installed: this suite runs against a real one. Install it (Debian/Ubuntu: '
            'apt-get install -y redis-server; scripts/test does this when it can) and run again.'
        )
    servers: list[RedisServer] = []

    def start(*extra: str) -> RedisServer:
        folder = tmp_path / f'redis-{len(servers)}'
        folder.mkdir()
        server = RedisServer(exe, folder, extra)
        servers.append(server)
        server.start()
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def redis_server(redis_servers: Callable[..., RedisServer]) -> RedisServer:
    return redis_servers()
