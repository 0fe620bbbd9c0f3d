"""Framing of the model host's messages: a JSON header and an optional binary payload.

A message is a 4-byte big-endian header length, the UTF-8 JSON header, an 8-byte
payload length and the payload (float32 vectors, row-major). Sizes are bounded, so
a stray client cannot make either side allocate without limit.
"""

from __future__ import annotations

import json
import socket
import struct

MAX_HEADER = 64 << 20  # a request's texts travel in the header
MAX_PAYLOAD = 512 << 20


class ProtocolError(ConnectionError):
    """The other side sent something that is not a message (or hung up mid-way)."""


def send(sock: socket.socket, header: dict[str, object], payload: bytes = b"") -> None:
    """Send one message."""
    head = json.dumps(header, ensure_ascii=False).encode("utf-8")
    sock.sendall(struct.pack(">I", len(head)) + head + struct.pack(">Q", len(payload)) + payload)


def receive(sock: socket.socket) -> tuple[dict[str, object], bytes]:
    """Receive one message; raises ProtocolError on a malformed one or a closed connection."""
    (n,) = struct.unpack(">I", _exactly(sock, 4))
    if n > MAX_HEADER:
        raise ProtocolError(f"header of {n} bytes is too large")
    try:
        header = json.loads(_exactly(sock, n).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProtocolError(f"malformed header: {exc}") from exc
    if not isinstance(header, dict):
        raise ProtocolError("the header is not an object")
    (m,) = struct.unpack(">Q", _exactly(sock, 8))
    if m > MAX_PAYLOAD:
        raise ProtocolError(f"payload of {m} bytes is too large")
    return header, _exactly(sock, m) if m else b""


def _exactly(sock: socket.socket, n: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < n:
        chunk = sock.recv(min(n - len(chunks), 1 << 20))
        if not chunk:
            raise ProtocolError("connection closed")
        chunks += chunk
    return bytes(chunks)
