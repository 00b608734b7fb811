"""A PostgreSQL server that asks for a password and refuses every one (protocol 3.0, enough of
it for libpq to get as far as "password authentication failed").

The test server of CI trusts every local connection, so a refused password cannot be had from
it; this one also records the passwords it was sent, which shows what the URL parser handed
the driver."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_SSL_REQUEST = 80877103
_GSSENC_REQUEST = 80877104


class RefusingServer:
    def __init__(self) -> None:
        self.passwords: list[str] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            with client, contextlib.suppress(OSError, struct.error):  # the client went away
                self._refuse(client)

    def _refuse(self, client: socket.socket) -> None:
        while True:
            length, code = struct.unpack("!ii", _read(client, 8))
            if code in (_SSL_REQUEST, _GSSENC_REQUEST):
                client.sendall(b"N")  # no encryption: go on in plain text
                continue
            startup = _read(client, length - 8)
            break
        fields = startup.split(b"\0")
        user = dict(zip(fields[0::2], fields[1::2], strict=False)).get(b"user", b"?")
        client.sendall(b"R" + struct.pack("!ii", 8, 3))  # AuthenticationCleartextPassword
        kind = _read(client, 1)
        (size,) = struct.unpack("!i", _read(client, 4))
        body = _read(client, size - 4)
        if kind == b"p":
            self.passwords.append(body.rstrip(b"\0").decode("utf-8", "replace"))
        message = b'password authentication failed for user "' + user + b'"'
        error = b"SFATAL\0VFATAL\0C28P01\0M" + message + b"\0\0"
        client.sendall(b"E" + struct.pack("!i", len(error) + 4) + error)

    def close(self) -> None:
        self._listener.close()


def _read(client: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = client.recv(size - len(data))
        if not chunk:
            raise OSError("closed")
        data += chunk
    return data


@contextmanager
def refusing_server() -> Iterator[RefusingServer]:
    server = RefusingServer()
    server._thread.start()
    try:
        yield server
    finally:
        server.close()
