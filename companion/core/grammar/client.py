"""language-tool-python's HTTP client with bounded, single-try requests and typed failures.

The library's client is used as is for everything but transport: it validates the
language against ``/v2/languages`` when constructed and builds the ``/v2/check``
parameters (disabled categories, level, ...). Its transport is replaced because, in
language-tool-python 3.x, ``_query_server``:

- waits up to 300 s per request and tries twice, so a stalled server blocks twice as long;
- folds HTTP status codes into one ``LanguageToolError`` carrying the body text (a
  JSON error body even comes back as if it were the answer), so a 429 cannot be told
  from a 500;
- uses a new connection per request and honours proxy variables, which must never
  see text meant for a loopback server.

Matches are returned as LanguageTool's raw JSON: offsets are converted by
:mod:`companion.core.grammar.offsets`, not by the library's ``Match`` (which converts
the offset but not the length, and keeps its conversion table in class attributes
shared by every thread).
"""

from __future__ import annotations

import logging
import urllib.parse
from typing import Any, Literal

import requests
from language_tool_python import LanguageTool

from companion.core.grammar.errors import GrammarServerError, connection_detail, format_seconds

log = logging.getLogger(__name__)

__all__ = ["GrammarServerError", "LanguageToolClient", "connection_detail", "format_seconds"]


class LanguageToolClient(LanguageTool):
    """A client of one LanguageTool server (``/v2/check``, ``/v2/languages``).

    Constructing it makes one request (``/v2/languages``) and raises
    :class:`GrammarServerError` when that fails or the language is not offered.
    Every request waits at most ``timeout_s`` for each connect and read, once.
    ``trust_env=False`` ignores proxy variables and ``.netrc`` (loopback servers).
    """

    def __init__(
        self, server_url: str, language: str, *, timeout_s: float = 5.0, trust_env: bool = True
    ) -> None:
        self._timeout_s = timeout_s
        self._session = requests.Session()
        self._session.trust_env = trust_env
        try:
            super().__init__(language=language, remote_server=server_url)
        except GrammarServerError:
            self._session.close()
            raise
        except ValueError as exc:  # LanguageTag: the server does not offer this language
            self._session.close()
            raise GrammarServerError(f"grammar server does not support language {language!r}") from exc

    def check_json(self, text: str) -> list[dict[str, Any]]:
        """LanguageTool's matches for ``text``, as the server sent them (UTF-16 offsets)."""
        url = urllib.parse.urljoin(self.url, "check")
        answer = self._query_server(url, self._create_params(text), method="post")
        matches = answer.get("matches") if isinstance(answer, dict) else None
        if not isinstance(matches, list):
            raise GrammarServerError("grammar server sent a malformed response")
        return [m for m in matches if isinstance(m, dict)]

    def close(self) -> None:
        """Close the connection pool (the server, if any, is not ours to stop)."""
        super().close()
        self._session.close()

    # language-tool-python calls this for every request (see the module docstring).
    def _query_server(
        self,
        url: str,
        params: dict[str, str] | None = None,
        num_tries: int = 2,
        method: Literal["get", "post"] = "get",
    ) -> Any:
        del num_tries  # one try: the analyzer decides when to try again
        try:
            if method == "post":
                response = self._session.post(url, data=params, timeout=self._timeout_s)
            else:
                response = self._session.get(url, params=params, timeout=self._timeout_s)
        except requests.Timeout as exc:
            raise GrammarServerError(
                f"grammar server timed out after {format_seconds(self._timeout_s)}"
            ) from exc
        except requests.ConnectionError as exc:
            raise GrammarServerError(f"grammar server unreachable ({connection_detail(exc)})") from exc
        except requests.RequestException as exc:
            raise GrammarServerError(f"grammar server request failed ({type(exc).__name__})") from exc
        with response:
            status = response.status_code
            if status in (426, 429):  # 426: what languagetool.org's public API sends
                raise GrammarServerError(f"grammar server rate-limited ({status})", _retry_after(response))
            if status >= 400:
                raise GrammarServerError(f"grammar server error {status}", _retry_after(response))
            try:
                return response.json()
            except ValueError as exc:  # JSONDecodeError, or a body that is not text
                raise GrammarServerError("grammar server sent a malformed response") from exc


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if 0 <= seconds <= 24 * 3600 else None
