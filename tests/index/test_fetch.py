"""The real fetching code against a real HTTP server on 127.0.0.1 serving the shipped pages."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from index.errors import FetchError
from index.fetch import FetchPolicy, fetch, forbidden_reason
from index.html import extract_article
from tests.webserver import NEWS, SLOW_SECONDS, WebServer, serve

# The test server is on loopback, which is refused by default: these tests trust 127.0.0.1 alone,
# so every other private address (127.0.0.2, localhost's lookup, …) is still refused.
TRUST_SERVER = FetchPolicy(trusted_networks=("127.0.0.1/32",))


@pytest.fixture(scope="module")
def web() -> Iterator[WebServer]:
    with serve() as server:
        yield server


def test_news_page_is_fetched_and_its_article_extracted(web: WebServer) -> None:
    page = fetch(web.url(f"/pages/{NEWS}"), TRUST_SERVER)
    assert page.is_html and page.content_type == "text/html"
    article = extract_article(page.body, url=page.url)
    assert article.title == "Izmail ferry terminal reopens after drone strike on Danube port"
    assert article.publisher == "Danube Courier"
    assert article.published == "2026-01-06"
    assert article.author == "Iryna Kovalenko"
    assert article.url == "https://news.example.org/2026/01/06/izmail-ferry-terminal-reopens"


def test_open_graph_only_page_is_fetched_with_its_metadata(web: WebServer) -> None:
    page = fetch(web.url("/pages/og-only.html"), TRUST_SERVER)
    article = extract_article(page.body, url=page.url)
    assert (article.title, article.publisher, article.published, article.url) == (
        "Tisza bridge at Chop closed to heavy lorries for repairs", "Carpathian Post",
        "2026-01-09", "https://carpathian.example.net/news/tisza-bridge-closed")


def test_redirect_chain_within_the_limit_is_followed(web: WebServer) -> None:
    page = fetch(web.url("/redirect/5"), TRUST_SERVER)
    assert page.url == web.url(f"/pages/{NEWS}")
    assert b"Izmail" in page.body


def test_more_than_five_redirects_are_refused(web: WebServer) -> None:
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(web.url("/redirect/6"), TRUST_SERVER)


@pytest.mark.parametrize("target", [
    "http://127.0.0.2:9/secret",             # another loopback address, literally
    "http://[::1]:9/secret",                 # IPv6 loopback
    "http://[::ffff:127.0.0.2]:9/secret",    # IPv4-mapped IPv6
])
def test_redirect_to_a_private_address_is_refused(web: WebServer, target: str) -> None:
    # Refused before connecting ("cannot connect" would mean it tried: nothing listens on :9).
    with pytest.raises(FetchError, match=r"refused to fetch .*(loopback|forbidden)"):
        fetch(web.url(f"/redirect-to?url={target}"), TRUST_SERVER)


def test_redirect_to_a_name_resolving_to_a_private_address_is_refused(web: WebServer) -> None:
    # Served from 127.0.0.2 (trusted); `localhost` resolves to 127.0.0.1, which is not: the
    # resolver inside the connection refuses it, so a rebinding name cannot get through either.
    port = web.base.rsplit(":", 1)[1]
    seen = len(web.requests)
    refused = pytest.raises(FetchError, match="localhost resolves only to forbidden addresses")
    with serve("127.0.0.2") as other, refused:
        fetch(other.url(f"/redirect-to?url=http://localhost:{port}/pages/{NEWS}"),
              FetchPolicy(trusted_networks=("127.0.0.2/32",)))
    assert len(web.requests) == seen  # never connected to the refused address


def test_loopback_is_refused_by_default_even_by_name(web: WebServer) -> None:
    with pytest.raises(FetchError, match=r"127\.0\.0\.1 is a loopback address"):
        fetch(web.url(f"/pages/{NEWS}"))
    port = web.base.rsplit(":", 1)[1]
    with pytest.raises(FetchError, match="localhost resolves only to forbidden addresses"):
        fetch(f"http://localhost:{port}/pages/{NEWS}")


def test_allow_private_lifts_the_address_check(web: WebServer) -> None:
    port = web.base.rsplit(":", 1)[1]
    page = fetch(f"http://localhost:{port}/pages/{NEWS}", FetchPolicy(allow_private=True))
    assert b"Izmail" in page.body


@pytest.mark.parametrize("address", ["10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
                                     "224.0.0.1", "240.0.0.1", "0.0.0.0", "100.64.0.1", "fe80::1",
                                     "fc00::1", "::"])
def test_non_public_addresses_are_named(address: str) -> None:
    assert forbidden_reason(address) is not None
    assert forbidden_reason("93.184.215.14") is None


@pytest.mark.parametrize("path", ["/big", "/big-declared"])
def test_oversized_response_is_refused(web: WebServer, path: str) -> None:
    with pytest.raises(FetchError, match="100,000-byte cap"):
        fetch(web.url(path), FetchPolicy(trusted_networks=("127.0.0.1/32",), max_bytes=100_000))


def test_slow_response_times_out(web: WebServer) -> None:
    policy = FetchPolicy(trusted_networks=("127.0.0.1/32",), total_timeout=0.5)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"no complete answer within 0\.5 s"):
        fetch(web.url("/slow"), policy)
    assert time.monotonic() - started < SLOW_SECONDS


def test_non_html_response_is_refused(web: WebServer) -> None:
    with pytest.raises(FetchError, match=r"not a web page or text .*application/pdf"):
        fetch(web.url("/pdf"), TRUST_SERVER)


def test_missing_page_names_the_status(web: WebServer) -> None:
    with pytest.raises(FetchError, match="answered 404"):
        fetch(web.url("/pages/nothing.html"), TRUST_SERVER)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a", "gopher://x/",
                                 "http:///nohost", "http://user:pw@example.org/"])
def test_only_plain_http_urls_are_fetched(url: str) -> None:
    with pytest.raises(FetchError, match="refused to fetch"):
        fetch(url)


def test_fetch_sends_no_credentials(web: WebServer) -> None:
    web.requests.clear()
    fetch(web.url("/redirect/2"), TRUST_SERVER)  # the server sets a cookie on every answer
    assert len(web.requests) == 3
    for request in web.requests:
        names = {k.lower() for k in request}
        assert not names & {"authorization", "cookie", "proxy-authorization"}
        assert request["User-Agent"].startswith("citebot/")
