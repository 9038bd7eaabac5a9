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
from collections.abc import Iterator
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return int(s.getsockname()[1])


class RedisServer:
    """A ``redis-server`` process on 127.0.0.1: ``url``, and the faults the tests inject (kill, pause, restart)."""

    def __init__(self, exe: str, folder: Path) -> None:
        self.exe = exe
        self.folder = folder
        self.port = free_port()
        self.url = f'redis://127.0.0.1:{self.port}/0'
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10.0) -> None:
        log = open(self.folder / 'redis.log', 'ab')
        self.proc = subprocess.Popen(
            [self.exe, '--port', str(self.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
             '--dir', str(self.folder), '--daemonize', 'no'],
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

    def version(self) -> str:
        out = subprocess.run([self.exe, '--version'], capture_output=True, text=True, timeout=10).stdout
        return out.split()[2].removeprefix('v=') if len(out.split()) > 2 else out.strip()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    exe = shutil.which('redis-server')
    if exe is None:
        pytest.fail(
            'redis-server is not installed: this suite runs against a real one. Install it (Debian/Ubuntu: '
            'apt-get install -y redis-server; scripts/test does this when it can) and run again.'
        )
    server = RedisServer(exe, tmp_path)
    server.start()
    try:
        yield server
    finally:
        if server.proc is not None and server.proc.poll() is None:
            try:
                server.resume()  # a paused server ignores SIGTERM until continued
            except ProcessLookupError:
                pass
            server.proc.terminate()
            try:
                server.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                server.kill()
