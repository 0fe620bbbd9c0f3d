"""Grammar-server failures and their wording, without importing an HTTP client."""

from __future__ import annotations


class GrammarServerError(Exception):
    """A grammar server could not answer; ``reason`` is shown to the user as is."""

    def __init__(self, reason: str, retry_after_s: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        #: The server's ``Retry-After`` in seconds, when it sent one.
        self.retry_after_s = retry_after_s


def format_seconds(seconds: float) -> str:
    return f"{seconds:g} s"


def connection_detail(exc: BaseException) -> str:
    """A short cause: "connection refused", "connection closed", ..."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, ConnectionResetError):
            return "connection reset"
        seen = seen.__cause__ or seen.__context__
    text = str(exc)
    if "Connection refused" in text:
        return "connection refused"
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return "connection closed by the server"
    if "Name or service not known" in text or "getaddrinfo" in text or "NameResolution" in text:
        return "host not found"
    return "connection failed"
