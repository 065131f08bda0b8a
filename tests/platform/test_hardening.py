"""Security findings, each reproduced by the attack it stops: another organisation reading a
guardrail policy, alert webhooks aimed at the server's own network (SSRF) in any address
spelling, password guessing without throttling, API tokens that expire before they are made,
and Prometheus metrics open to anyone."""

from __future__ import annotations

import re
from collections.abc import Callable
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from typer.testing import CliRunner

from aiplus.cli import cli
from aiplus.core import egress, identity
from aiplus.core.errors import RateLimited, Unauthenticated, ValidationFailed
from aiplus.core.settings import Settings
from aiplus.guard.monitor import alerts
from aiplus.guard.monitor.tables import AlertMessage, AlertRule
from aiplus.platform.security import LoginThrottle
from aiplus.platform.services import Platform
from tests.factories import PASSWORD, Factory

JSON = {"Accept": "application/json"}
HTML = {"Accept": "text/html"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# --- 1. the effective guardrail policy is for its own organisation --------------------------


def test_effective_policy_is_refused_to_another_organisation(
        client: TestClient, factory: Factory) -> None:
    td_admin = factory.member("td-admin", org="hk-td", role="admin")
    td_officer = factory.member("td-officer", org="hk-td", role="officer")
    dh_officer = factory.member("dh-officer", org="hk-dh", role="officer")
    root = factory.admin()
    body = {"org": "hk-td", "app": "faq", "policy": {"actions": {"injection": "flag"}}}
    assert client.put("/api/guard/policies", json=body,
                      headers=td_admin.headers).status_code == 200
    url = "/api/guard/policies/effective?org=hk-td&app=faq"

    assert client.get(url, headers=dh_officer.headers).status_code == 403
    assert client.get(url, headers=JSON).status_code == 401
    # Without an org the platform-wide policy is meant: like its rows, for platform admins.
    assert client.get("/api/guard/policies/effective",
                      headers=dh_officer.headers).status_code == 403
    for member in (td_officer, td_admin, root):
        own = client.get(url, headers=member.headers)
        assert own.status_code == 200 and own.json()["source"] == "hk-td/faq", member.username
    assert client.get("/api/guard/policies/effective", headers=root.headers).status_code == 200


# --- 2. alert webhooks reach only public addresses --------------------------------------------


RULES = "/api/security/alerts/rules"
INTERNAL_TARGETS = [
    "http://127.0.0.1/hook", "http://127.0.0.1:5432/", "http://2130706433/",
    "http://0x7f.1/", "http://0x7f000001/", "http://127.1/", "http://0177.0.0.1/",
    "http://localhost/", "http://LOCALHOST:8000/", "http://[::1]/", "http://[::]/",
    "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/", "http://0.0.0.0/",
    "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://172.16.5.4/",
    "http://192.168.1.1/", "http://100.64.0.1/", "http://224.0.0.1/",
    "http://255.255.255.255/", "http://240.0.0.1/", "http://[fe80::1]/", "http://[fd00::1]/",
    "http://[ff02::1]/", "http://[2002:7f00:1::]/", "http://[64:ff9b::a00:1]/",
    "https://user:pw@127.0.0.1/", "ftp://example.org/", "http:///nohost", "http://x:0/",
]


def _rule(target: str) -> dict[str, object]:
    return {"org": "hk-td", "name": "burst", "threshold": 1, "window_minutes": 60,
            "channel": "webhook", "target": target}


def _rule_count(platform: Platform) -> int:
    with platform.db.read() as session:
        return session.scalar(select(func.count(AlertRule.id))) or 0


@pytest.mark.parametrize("target", INTERNAL_TARGETS)
def test_a_webhook_to_an_internal_address_is_refused_when_saved(
        client: TestClient, platform: Platform, factory: Factory, target: str) -> None:
    admin = factory.member("adam", org="hk-td", role="admin")
    response = client.post(RULES, json=_rule(target), headers=admin.headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"
    assert _rule_count(platform) == 0


def test_the_refusal_says_why_in_both_languages(client: TestClient, factory: Factory) -> None:
    admin = factory.member("adam", org="hk-td", role="admin")
    english = client.post(RULES, json=_rule("http://2130706433/"), headers=admin.headers)
    message = english.json()["error"]["message"]
    assert "127.0.0.1" in message and "AIPLUS_WEBHOOK_ALLOWED_HOSTS" in message
    chinese = client.post(RULES, json=_rule("http://2130706433/"),
                          headers={**admin.headers, "Accept-Language": "zh-HK"})
    assert "127.0.0.1" in chinese.json()["error"]["message"]
    assert re.search(r"[\u4e00-\u9fff]", chinese.json()["error"]["message"])


def test_an_allowed_host_may_be_internal(client: TestClient, platform: Platform,
                                         factory: Factory,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform.settings, "webhook_allowed_hosts",
                        Settings(webhook_allowed_hosts="chat.internal, 127.0.0.1"
                                 ).webhook_allowed_hosts)
    admin = factory.member("adam", org="hk-td", role="admin")
    assert client.post(RULES, json=_rule("http://127.0.0.1:9/hook"),
                       headers=admin.headers).status_code == 201
    # Only that host: another spelling of the same address is still checked, and refused.
    assert client.post(RULES, json=_rule("http://2130706433:9/hook"),
                       headers=admin.headers).status_code == 422


def _queue(platform: Platform, target: str) -> int:
    """An alert waiting in the outbox, as a rule saved earlier would have queued it."""
    with platform.db.transaction() as session:
        rule = AlertRule(org="hk-td", name="burst", channel="webhook", target=target,
                         created_by="test")
        session.add(rule)
        session.flush()
        message = AlertMessage(rule_id=rule.id, channel="webhook", target=target,
                               payload={"rule": "burst"})
        session.add(message)
        session.flush()
        return message.id


def _recording_client(seen: list[httpx.Request]) -> httpx.Client:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    return httpx.Client(transport=httpx.MockTransport(answer))


def _fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> None:
    monkeypatch.setattr(egress, "resolve", lambda host, port: [
        ip_address(a) for a in answers.get(host, [])])


def test_a_queued_webhook_to_an_internal_address_is_not_delivered(platform: Platform) -> None:
    message_id = _queue(platform, "http://127.0.0.1:9/hook")  # saved before the check
    seen: list[httpx.Request] = []
    assert alerts.deliver(platform.db, _recording_client(seen)) == {"sent": 0, "failed": 1}
    assert seen == []
    with platform.db.read() as session:
        message = session.get(AlertMessage, message_id)
        assert message is not None and message.attempts == 0
        assert "127.0.0.1" in (message.last_error or "")


def test_delivery_connects_to_the_address_it_checked(
        client: TestClient, platform: Platform, factory: Factory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dns(monkeypatch, {"hooks.example.org": ["93.184.216.34"]})
    admin = factory.member("adam", org="hk-td", role="admin")
    target = "https://hooks.example.org:8443/alert?x=1"
    assert client.post(RULES, json=_rule(target), headers=admin.headers).status_code == 201
    _queue(platform, target)
    seen: list[httpx.Request] = []
    assert alerts.deliver(platform.db, _recording_client(seen)) == {"sent": 1, "failed": 0}
    (request,) = seen
    assert str(request.url) == "https://93.184.216.34:8443/alert?x=1"
    assert request.headers["host"] == "hooks.example.org:8443"
    assert request.extensions["sni_hostname"] == "hooks.example.org"  # certificate checked


def test_a_host_that_rebinds_to_an_internal_address_is_refused_at_delivery(
        client: TestClient, platform: Platform, factory: Factory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    answers = {"hooks.example.org": ["93.184.216.34"]}
    _fake_dns(monkeypatch, answers)
    admin = factory.member("adam", org="hk-td", role="admin")
    target = "http://hooks.example.org/alert"
    assert client.post(RULES, json=_rule(target), headers=admin.headers).status_code == 201
    message_id = _queue(platform, target)
    # The DNS answer changes after the rule was saved; one bad address is enough to refuse.
    answers["hooks.example.org"] = ["93.184.216.34", "10.1.2.3"]
    seen: list[httpx.Request] = []
    assert alerts.deliver(platform.db, _recording_client(seen)) == {"sent": 0, "failed": 1}
    assert seen == []
    with platform.db.read() as session:
        message = session.get(AlertMessage, message_id)
        assert message is not None and "10.1.2.3" in (message.last_error or "")


# Hypothesis: every way the C library lets one write an IPv4 address is resolved to the
# address it means, so no spelling slips an internal address past the check, and a public
# one is always reached at its canonical form.

SPELLINGS: list[Callable[[IPv4Address], str]] = [
    str,
    lambda a: str(int(a)),
    lambda a: hex(int(a)),
    lambda a: ".".join(hex(octet) for octet in a.packed),
    lambda a: ".".join(f"0{octet:o}" for octet in a.packed),
    lambda a: f"{a.packed[0]}.{int(a) & 0xFFFFFF}",
    lambda a: f"{a.packed[0]}.{a.packed[1]}.{int(a) & 0xFFFF}",
    lambda a: f"{hex(a.packed[0])}.{int(a) & 0xFFFFFF}",
    lambda a: f"[::ffff:{a}]",
]
INTERNAL_V4 = [ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4",
    "240.0.0.0/4")]
INTERNAL_V6 = [ip_network(n) for n in (
    "::1/128", "::/128", "fe80::/10", "fc00::/7", "ff00::/8", "::ffff:0:0/96")]
PUBLIC_V4 = [ip_network(n) for n in ("8.8.0.0/16", "93.184.216.0/24", "1.1.1.0/24")]


def _within(networks: list) -> st.SearchStrategy:
    return st.sampled_from(networks).flatmap(lambda net: st.ip_addresses(network=net))


def _embeddings(v4: IPv4Address) -> list[IPv6Address]:
    """IPv6 addresses that carry ``v4``: mapped, 6to4 and NAT64."""
    return [IPv6Address(f"::ffff:{v4}"), IPv6Address((0x2002 << 112) | (int(v4) << 80)),
            IPv6Address(int(IPv6Address("64:ff9b::")) | int(v4))]


QUICK = hypothesis_settings(max_examples=150, deadline=None,
                            suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(address=_within(INTERNAL_V4), spell=st.sampled_from(SPELLINGS))
def test_no_spelling_of_an_internal_ipv4_address_passes(address: IPv4Address,
                                                        spell: Callable) -> None:
    with pytest.raises(ValidationFailed):
        egress.check(f"http://{spell(address)}/hook")


@QUICK
@given(address=_within(INTERNAL_V4), which=st.integers(0, 2))
def test_no_ipv6_address_embedding_an_internal_ipv4_address_passes(address: IPv4Address,
                                                                   which: int) -> None:
    assert not egress.is_public(_embeddings(address)[which])
    with pytest.raises(ValidationFailed):
        egress.check(f"http://[{_embeddings(address)[which]}]/hook")


@QUICK
@given(address=_within(INTERNAL_V6))
def test_no_internal_ipv6_address_passes(address: IPv6Address) -> None:
    with pytest.raises(ValidationFailed):
        egress.check(f"https://[{address}]:8443/hook")


@QUICK
@given(address=_within(PUBLIC_V4), spell=st.sampled_from(SPELLINGS[:-1]))
def test_a_public_address_is_reached_as_itself_whatever_its_spelling(
        address: IPv4Address, spell: Callable) -> None:
    try:
        destination = egress.check(f"http://{spell(address)}:8080/hook")
    except ValidationFailed as refused:  # a spelling the URL parser itself rejects
        assert "http or https URL" in str(refused)
        return
    assert [str(url) for url in destination.urls] == [f"http://{address}:8080/hook"]


# --- 3. failed sign-ins are throttled ---------------------------------------------------------


def _login(client: TestClient, username: str, password: str) -> httpx.Response:
    page = client.get("/login", headers=HTML)
    token = CSRF.search(page.text)
    assert token, "the sign-in form carries a CSRF token"
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token.group(1)},
                       headers=JSON, follow_redirects=False)


def test_repeated_wrong_passwords_for_one_account_are_throttled(
        client: TestClient, factory: Factory) -> None:
    factory.member("ann")
    factory.member("bob")
    for _ in range(5):
        assert _login(client, "ann", "wrong password!").status_code == 401
    refused = _login(client, "ann", PASSWORD)  # even the right password: no oracle
    assert refused.status_code == 429
    assert 840 < int(refused.headers["Retry-After"]) <= 900
    assert refused.json()["failed"] == ("Too many failed sign-ins. Please try again in 15 "
                                        "minutes.")
    assert _login(client, "ANN", PASSWORD).status_code == 429  # letter case is no way round
    client.cookies.set("aiplus_lang", "zh-Hant")
    chinese = _login(client, "ann", PASSWORD)
    assert chinese.status_code == 429 and "15" in chinese.json()["failed"]
    assert re.search(r"[\u4e00-\u9fff]", chinese.json()["failed"])
    client.cookies.delete("aiplus_lang")
    assert _login(client, "bob", PASSWORD).status_code == 303  # other accounts unaffected


def test_html_sign_in_form_says_when_to_try_again(client: TestClient, factory: Factory) -> None:
    factory.member("ann")
    for _ in range(5):
        _login(client, "ann", "wrong password!")
    token = CSRF.search(client.get("/login", headers=HTML).text)
    assert token
    page = client.post("/login", data={"username": "ann", "password": PASSWORD,
                                       "csrf_token": token.group(1)}, headers=HTML)
    assert page.status_code == 429 and "try again in 15 minutes" in page.text
    assert 'role="alert"' in page.text and "Retry-After" in page.headers


def test_wrong_passwords_from_one_address_are_throttled(app: FastAPI,
                                                        factory: Factory) -> None:
    factory.member("ann")
    with TestClient(app, client=("203.0.113.7", 1000)) as guesser, \
            TestClient(app, client=("203.0.113.8", 1000)) as other:
        for n in range(20):  # a few guesses at many accounts: no account reaches its limit
            assert _login(guesser, f"user{n % 5}", "wrong password!").status_code == 401
        assert _login(guesser, "ann", PASSWORD).status_code == 429
        assert _login(other, "ann", PASSWORD).status_code == 303


def test_a_success_does_not_reset_another_accounts_count(client: TestClient,
                                                         factory: Factory) -> None:
    factory.member("ann")
    factory.member("mallory")
    for _ in range(4):
        assert _login(client, "ann", "wrong password!").status_code == 401
    assert _login(client, "mallory", PASSWORD).status_code == 303
    client.cookies.clear()
    assert _login(client, "ann", "wrong password!").status_code == 401
    assert _login(client, "ann", PASSWORD).status_code == 429


def _fail(throttle: LoginThrottle, username: str, address: str = "198.51.100.1") -> None:
    with pytest.raises(Unauthenticated), throttle.attempt(username, address):
        raise Unauthenticated()


def test_the_throttle_ends_by_itself_and_refusals_do_not_extend_it(tmp_path: Path) -> None:
    now = [1000.0]
    throttle = LoginThrottle(Settings(home=tmp_path), clock=lambda: now[0])
    for _ in range(5):
        _fail(throttle, "ann")
    for _ in range(50):  # an attacker keeps trying: no lock-out for good
        with pytest.raises(RateLimited) as refused, throttle.attempt("ann", "198.51.100.1"):
            pass
    assert refused.value.params == {"minutes": 15, "retry_after": 900}
    now[0] += 899.5
    with pytest.raises(RateLimited) as refused, throttle.attempt("ann", "198.51.100.1"):
        pass
    assert refused.value.params == {"minutes": 1, "retry_after": 1}
    now[0] += 1
    with throttle.attempt("ann", "198.51.100.1"):
        pass  # the right password, after the window


def test_a_success_clears_its_own_account_but_not_its_address(tmp_path: Path) -> None:
    throttle = LoginThrottle(Settings(home=tmp_path, login_failures_per_address=6))
    for _ in range(4):
        _fail(throttle, "ann")
    with throttle.attempt("ann", "198.51.100.1"):
        pass
    for _ in range(2):
        _fail(throttle, "ann")  # the address now has 6 failures; ann only 2
    with pytest.raises(RateLimited), throttle.attempt("bob", "198.51.100.1"):
        pass
    with throttle.attempt("ann", "198.51.100.2"):
        pass


def test_limits_come_from_settings(client: TestClient, platform: Platform, factory: Factory,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform.settings, "login_failures_per_account", 2)
    factory.member("ann")
    for _ in range(2):
        assert _login(client, "ann", "wrong password!").status_code == 401
    assert _login(client, "ann", PASSWORD).status_code == 429


# --- 4. token lifetimes are positive ----------------------------------------------------------


@pytest.mark.parametrize("days", [-1, 0, identity.MAX_TOKEN_DAYS + 1])
def test_issue_token_refuses_a_lifetime_out_of_range(platform: Platform, factory: Factory,
                                                     days: int) -> None:
    factory.member("ann")
    with platform.db.transaction() as session, pytest.raises(ValidationFailed) as refused:
        identity.issue_token(session, identity.get_user(session, "ann"), "t", days)
    assert "1 to 3650 days" in str(refused.value)


@pytest.mark.parametrize("days", ["-1", "0", "3651"])
def test_cli_refuses_a_lifetime_out_of_range(platform: Platform, factory: Factory,
                                             monkeypatch: pytest.MonkeyPatch, days: str) -> None:
    factory.member("ann")
    monkeypatch.setenv("AIPLUS_HOME", str(platform.settings.home))
    monkeypatch.setenv("AIPLUS_DATABASE_URL", platform.settings.sqlalchemy_url)
    with platform.db.read() as session:
        before = session.scalar(select(func.count(identity.ApiToken.id)))
    result = CliRunner().invoke(cli, ["tokens", "create", "ann", "--days", days])
    assert result.exit_code == 2
    assert "--days" in result.output and "Invalid value" in result.output
    with platform.db.read() as session:
        assert session.scalar(select(func.count(identity.ApiToken.id))) == before


# --- 5. /metrics needs a scraper token or a platform admin ------------------------------------


def test_metrics_are_not_public_by_default(client: TestClient, factory: Factory) -> None:
    assert client.get("/metrics", headers=JSON).status_code == 401
    browser = client.get("/metrics", headers=HTML, follow_redirects=False)
    assert browser.status_code == 303 and browser.headers["location"].startswith("/login")
    officer = factory.member("olive")
    assert client.get("/metrics", headers=officer.headers).status_code == 403
    served = client.get("/metrics", headers=factory.admin().headers)
    assert served.status_code == 200 and "aiplus_http_requests_total" in served.text


def test_metrics_accept_the_scraper_token(client: TestClient, platform: Platform,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    token = "aim_" + "0123456789abcdef" * 4
    monkeypatch.setattr(platform.settings, "metrics_token", token)
    for header in (token, f"Bearer {token}"):
        assert client.get("/metrics", headers={"Authorization": header}).status_code == 200
    non_ascii = f"Bearer {token[:-1]}\u00e9".encode("latin-1")
    for wrong in (token[:-1] + "0", f"Bearer {token}0", "aim_", non_ascii):
        assert client.get("/metrics", headers={**JSON, "Authorization": wrong}
                          ).status_code == 401, wrong
    # The scraper is nobody anywhere else.
    assert client.get("/api/me", headers={"Authorization": token}).status_code == 401


def test_without_a_configured_token_no_scraper_token_works(client: TestClient) -> None:
    scraper = {**JSON, "Authorization": "Bearer aim_" + "0" * 64}
    assert client.get("/metrics", headers=scraper).status_code == 401


@pytest.mark.parametrize("token", ["aim_short", "0123456789abcdef" * 4,
                                   "aim_" + "0123456789abcdef" * 2 + " x"])
def test_a_weak_or_unprefixed_metrics_token_is_refused(token: str) -> None:
    with pytest.raises(ValueError):
        Settings(metrics_token=token)


def test_metrics_may_be_declared_public(client: TestClient, platform: Platform,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform.settings, "metrics_public", True)
    assert client.get("/metrics").status_code == 200
