"""Sources and sinks that are not regular files: for the tests of bounded reading, a FIFO fed by a
thread that would go on for ever, and the bytes it managed to hand over; for the tests of what a
person sees, a program run with its stderr on a pseudo-terminal."""

from __future__ import annotations

import errno
import os
import pty
import subprocess
import threading
import time
from pathlib import Path

MB = 1024 * 1024


class Feeder:
    """Creates a FIFO at `path` and writes `head`, then `chunk` again and again, from a thread
    until the reader closes its end. `cap` stops it anyway (the code before the limits read
    without end: with a cap such code fails the test instead of filling the memory);
    `cap=0` makes an empty FIFO. `written` is what the reader was given (at most 64 KB of it
    still in the pipe)."""

    def __init__(
        self,
        path: Path,
        chunk: bytes = b"",
        *,
        head: bytes = b"",
        cap: int = 64 * MB,
        wait: float = 20.0,
    ) -> None:
        os.mkfifo(path)
        self.path = path
        self.written = 0
        self.stopped_by_reader = False
        self._head, self._chunk, self._cap, self._wait = head, chunk, cap, wait
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _open(self) -> int | None:
        """The write end, once a reader has opened the FIFO (None if none came: the command
        failed before reading, and the thread must not hang)."""
        deadline = time.monotonic() + self._wait
        while time.monotonic() < deadline:
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno != errno.ENXIO:  # ENXIO: no reader yet
                    raise
                time.sleep(0.01)
                continue
            os.set_blocking(fd, True)
            return fd
        return None

    def _run(self) -> None:
        fd = self._open()
        if fd is None:
            return
        try:
            data = self._head or self._chunk
            while data and self.written < self._cap:
                sent = os.write(fd, data[: self._cap - self.written])
                self.written += sent
                data = data[sent:] or self._chunk
        except BrokenPipeError:
            self.stopped_by_reader = True
        finally:
            os.close(fd)

    def join(self) -> Feeder:
        self._thread.join(timeout=self._wait)
        assert not self._thread.is_alive(), "the FIFO's writer is still blocked"
        return self


def stderr_on_a_terminal(argv: list[str], *, timeout: float = 120) -> tuple[str, str]:
    """Run `argv` with stderr on a pseudo-terminal (80 columns, colours allowed) and stdout on a
    pipe: its stdout, and what the terminal showed."""
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "80"}
    env.pop("NO_COLOR", None)
    primary, secondary = pty.openpty()
    try:
        process = subprocess.run(
            argv, stdout=subprocess.PIPE, stderr=secondary, text=True, check=True, env=env,
            timeout=timeout,
        )  # fmt: skip
        os.close(secondary)
        shown = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal closed: everything has been read
                break
            if not chunk:
                break
            shown += chunk
        return process.stdout, shown.decode("utf-8", "replace")
    finally:
        os.close(primary)
