"""A careful HTTP client for pages and feeds.

http and https only (a redirect to any other scheme is refused), a timeout on
every request, at most :data:`MAX_REDIRECTS` redirects, retries with backoff on
connection errors, 429 and 5xx answers, gzip and deflate bodies, a size cap on
what is read (compressed and decompressed), and an honest user agent. The
standard library does the work (``urllib.request``): nothing else is needed for
GET requests, and it keeps the client's rules in one readable place.
"""

from __future__ import annotations

import email.message
import http.client
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from reader import __version__

USER_AGENT = f"reader/{__version__} (article import; a terminal news reader; +https://pypi.org/)"
#: Read at most this much of an answer: articles and feeds are far smaller.
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = 20.0
RETRIES = 2
BACKOFF = 0.5
SCHEMES = ("http", "https")
#: The statuses worth asking again for, after a pause.
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


class FetchError(Exception):
    """A URL that could not be fetched; the message is the reason, for people."""


@dataclass(frozen=True, slots=True)
class Response:
    """What a server answered: the final URL (after redirects), the type and the body."""

    url: str
    content_type: str
    charset: str | None
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode(self.charset or "utf-8", errors="replace")


def check_url(url: str) -> str:
    """``url`` when it is an absolute http(s) URL, else :class:`FetchError`."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:
        raise FetchError("not a valid URL") from None
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError(f"only http and https links are fetched, not {parts.scheme or 'none'!r}")
    if not parts.hostname:
        raise FetchError("the URL has no host")
    return url.strip()


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        target = headers.get("location") or headers.get("uri") or ""
        target = urllib.parse.urljoin(req.full_url, target)
        if urllib.parse.urlsplit(target).scheme.lower() not in SCHEMES:
            raise FetchError(f"redirected to a link that is not http(s): {target[:80]}")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener() -> urllib.request.OpenerDirector:
    # Only the handlers we want: no file://, ftp:// or data: handlers at all.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        _Redirects(),
    ):
        opener.add_handler(handler)
    return opener


def fetch(
    url: str,
    *,
    accept: str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    timeout: float = TIMEOUT,
    retries: int = RETRIES,
    max_bytes: int = MAX_BYTES,
    sleep: Callable[[float], None] = time.sleep,
) -> Response:
    """GET ``url`` under the rules above, or raise :class:`FetchError`."""
    url = check_url(url)
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": accept,
            "Accept-Encoding": "gzip, deflate",
        },
    )
    opener = _opener()
    attempt = 0
    while True:
        try:
            return _get(opener, request, timeout, max_bytes)
        except urllib.error.HTTPError as error:
            reason = f"the server answered {error.code} {error.reason}"
            retry = error.code in RETRY_STATUSES
            wait = _retry_after(error.headers) if error.code in (429, 503) else None
        except FetchError:
            raise
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            reason = _network_reason(error)
            retry, wait = True, None
        if not retry or attempt >= retries:
            raise FetchError(reason)
        sleep(wait if wait is not None else BACKOFF * 2**attempt)
        attempt += 1


def _get(opener, request, timeout: float, max_bytes: int) -> Response:
    with opener.open(request, timeout=timeout) as answer:
        declared = answer.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(f"larger than {max_bytes // (1024 * 1024)} MB")
        raw = answer.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise FetchError(f"larger than {max_bytes // (1024 * 1024)} MB")
        body = _decode(raw, answer.headers.get("Content-Encoding", ""), max_bytes)
        message: email.message.Message = answer.headers
        return Response(
            url=answer.geturl(),
            content_type=message.get_content_type(),
            charset=message.get_content_charset(),
            body=body,
        )


def _decode(raw: bytes, encoding: str, max_bytes: int) -> bytes:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"the server sent an unknown content encoding {encoding!r}")
    # Decompress in bounded steps: a small gzip bomb must not fill the memory.
    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    try:
        inflater = zlib.decompressobj(wbits)
        body = inflater.decompress(raw, max_bytes + 1)
    except zlib.error:
        if encoding == "deflate":  # some servers send raw deflate without the header
            try:
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                body = inflater.decompress(raw, max_bytes + 1)
            except zlib.error:
                raise FetchError("the server sent a damaged compressed body") from None
        else:
            raise FetchError("the server sent a damaged compressed body") from None
    if len(body) > max_bytes:
        raise FetchError(f"larger than {max_bytes // (1024 * 1024)} MB once decompressed")
    return body


def _retry_after(headers) -> float | None:
    value = headers.get("Retry-After", "") if headers else ""
    if value.strip().isdigit():
        return min(float(value), 30.0)
    return None


def _network_reason(error: BaseException) -> str:
    inner = getattr(error, "reason", error)
    if isinstance(inner, socket.timeout | TimeoutError):
        return "the server did not answer in time"
    if isinstance(inner, socket.gaierror):
        return "the host name could not be found"
    if isinstance(inner, ConnectionRefusedError):
        return "the connection was refused"
    text = str(inner) or type(inner).__name__
    return f"network error: {text}"
