"""Fetching a web page safely: http(s) only, public addresses only, bounded in time and size.

A member can make the bot fetch any address they type, so every address a URL resolves to is
checked where the connection is made (a resolver that drops forbidden addresses), at every
redirect: a name that resolves to a public address when checked and to 127.0.0.1 when connected
(DNS rebinding) cannot slip through, because the checked answer is the one connected to.
Requests carry no credentials: no auth header, no cookies, no proxy settings from the environment.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from .errors import FetchError

PAGE_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain", "text/markdown")
USER_AGENT = "citebot/0.1 (quotes news articles, with citations)"
_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 64 * 1024


@dataclass(frozen=True, kw_only=True)
class FetchPolicy:
    """Limits on one fetch (the defaults are the bot's)."""

    allow_private: bool = False  # loopback, private, link-local … (tests; servers that mean it)
    trusted_networks: tuple[str, ...] = ()  # allowed even so, e.g. ("10.1.0.0/16",) an intranet
    connect_timeout: float = 5.0
    total_timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5


    def refusal(self, address: str) -> str | None:
        """Why this policy refuses to connect to an IP address (None: it may)."""
        if self.allow_private:
            return None
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if any(ip in ipaddress.ip_network(n, strict=False) for n in self.trusted_networks):
            return None
        return forbidden_reason(address)


@dataclass(frozen=True, kw_only=True)
class FetchedPage:
    """A fetched response: the final URL (after redirects), its media type and its bytes."""

    url: str
    content_type: str
    body: bytes
    charset: str | None = None

    @property
    def is_html(self) -> bool:
        """Whether the body is a web page (as opposed to plain text or Markdown)."""
        return self.content_type in PAGE_TYPES


class BlockedAddressError(OSError):
    """A host resolved only to addresses the policy forbids (raised inside the connector)."""


def forbidden_reason(address: str) -> str | None:
    """Why an IP address may not be fetched from by default (None: it is public)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for label, flag in (("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
                        ("multicast", ip.is_multicast), ("reserved", ip.is_reserved),
                        ("unspecified", ip.is_unspecified), ("private", ip.is_private),
                        ("not globally routable", not ip.is_global)):
        if flag:
            return f"{address} is a {label} address"
    return None


class PublicOnlyResolver(AbstractResolver):
    """The system resolver, minus every address the policy refuses."""

    def __init__(self, policy: FetchPolicy, inner: AbstractResolver | None = None) -> None:
        self.policy = policy
        self._inner = inner or DefaultResolver()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        """The host's allowed addresses; BlockedAddressError when none is allowed."""
        results = await self._inner.resolve(host, port, family)
        allowed = [r for r in results if self.policy.refusal(r["host"]) is None]
        if not allowed:
            reasons = "; ".join(sorted({str(self.policy.refusal(r["host"])) for r in results}))
            raise BlockedAddressError(f"{host} resolves only to forbidden addresses ({reasons})")
        return allowed

    async def close(self) -> None:
        """Release the inner resolver."""
        await self._inner.close()


def fetch(url: str, policy: FetchPolicy | None = None) -> FetchedPage:
    """Fetch a page (blocking: runs its own event loop; call it from a worker thread)."""
    return asyncio.run(fetch_async(url, policy or FetchPolicy()))


async def fetch_async(url: str, policy: FetchPolicy) -> FetchedPage:
    """Fetch a page, following at most `policy.max_redirects` redirects, each one checked."""
    timeout = aiohttp.ClientTimeout(total=policy.total_timeout,
                                    sock_connect=policy.connect_timeout)
    resolver = None if policy.allow_private else PublicOnlyResolver(policy)
    connector = aiohttp.TCPConnector(resolver=resolver, use_dns_cache=False, limit=2)
    async with aiohttp.ClientSession(
            connector=connector, timeout=timeout, trust_env=False,
            cookie_jar=aiohttp.DummyCookieJar(), headers={"User-Agent": USER_AGENT}) as session:
        try:
            for _ in range(policy.max_redirects + 1):
                check_url(url, policy)
                async with session.get(url, allow_redirects=False) as response:
                    if response.status in _REDIRECTS and "Location" in response.headers:
                        url = urljoin(url, response.headers["Location"])
                        continue
                    return await _read(url, response, policy)
        except TimeoutError:
            raise FetchError(f"{url}: no complete answer within {policy.total_timeout:g} s "
                             "(connect or read timed out)") from None
        except aiohttp.ClientConnectorError as exc:
            blocked = exc.__cause__ if isinstance(exc.__cause__, BlockedAddressError) else None
            raise FetchError(f"refused to fetch {url}: {blocked}" if blocked
                             else f"{url}: cannot connect ({exc.strerror or exc})") from None
        except aiohttp.ClientError as exc:
            raise FetchError(f"{url}: fetch failed ({exc})") from None
        except ValueError:  # a host name that cannot be encoded (`a..b`, a label over 63)
            raise FetchError(f"refused to fetch {url!r}: not a valid web address") from None
    raise FetchError(f"{url}: more than {policy.max_redirects} redirects")


def check_url(url: str, policy: FetchPolicy) -> None:
    """Refuse a URL that is not http(s), has no host, or names a forbidden IP address itself."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port out of range or not a number)
    except ValueError:  # "http://[::1", "https://host:99999/": nothing to connect to
        raise FetchError(f"refused to fetch {url!r}: not a valid web address") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"refused to fetch {url!r}: only http:// and https:// addresses")
    if not parts.hostname:
        raise FetchError(f"refused to fetch {url!r}: no host name")
    if parts.username or parts.password:
        raise FetchError(f"refused to fetch {url!r}: addresses with credentials are not fetched")
    # A literal address is connected to without a lookup, so the resolver never sees it.
    try:
        reason = policy.refusal(parts.hostname)
    except ValueError:
        return  # a host name: the resolver checks what it resolves to
    if reason:
        raise FetchError(f"refused to fetch {url}: {reason}")


async def _read(url: str, response: aiohttp.ClientResponse, policy: FetchPolicy) -> FetchedPage:
    """The response's body, refused when it is an error, of the wrong type, or too large."""
    if response.status >= 400:
        raise FetchError(f"{url}: the server answered {response.status} {response.reason or ''}"
                         .rstrip())
    content_type = response.content_type.lower()
    if content_type not in PAGE_TYPES + TEXT_TYPES:
        raise FetchError(f"{url}: not a web page or text (content type {content_type})")
    cap = policy.max_bytes
    if response.content_length is not None and response.content_length > cap:
        raise FetchError(f"{url}: {response.content_length:,} bytes, over the {cap:,}-byte cap")
    body = bytearray()
    async for chunk in response.content.iter_chunked(_CHUNK):
        body += chunk
        if len(body) > cap:
            raise FetchError(f"{url}: more than the {cap:,}-byte cap; not read further")
    return FetchedPage(url=str(response.url), content_type=content_type, body=bytes(body),
                       charset=response.charset)
