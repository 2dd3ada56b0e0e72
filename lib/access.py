"""Who may see the responses: the sign-in providers under ``[auth]``, the allow-list under
``[access]``, each viewer's role, and whether the data may be shown at all.

Pure: no Streamlit. The app layer passes in the secrets (a mapping) and ``st.user`` (a
mapping of the identity token's claims) on every rerun, so removing someone from the list
takes effect on their next click, whatever their 30-day identity cookie says.

Rules (each covered by a unit test):

- **Lists**: ``viewers`` and ``analysts`` hold addresses (``ana@council.gov.uk``) or
  ``@domain`` for every address in exactly that domain. ``@d2i.org.uk`` matches
  ``x@d2i.org.uk`` only: not ``x@team.d2i.org.uk`` (list sub-domains one by one) and never
  a look-alike such as ``x@evil-d2i.org.uk``. Addresses compare trimmed and
  case-insensitively. Entries that are neither are ignored and reported.
- **Analysts are viewers**: an analyst need not be listed under ``viewers`` too.
- **The address that counts** is the ``email`` claim, unless the provider says
  ``email_verified`` is false (``False`` or ``"false"``, or any value other than true):
  then nothing counts. With no ``email`` claim at all (Microsoft Entra may send none),
  ``preferred_username`` counts when it is an address. Google's ``hd`` claim is never
  read: the address's own domain is what matches.
- **The gate** (``decide``): with ``[auth]`` present every source needs sign-in (a broken
  ``[auth]`` shows a set-up message and no data). Without ``[auth]``, the demo, a
  workbook given by path and an upload are shown to anyone (the person running it holds
  the file); the live sheet is not, unless ``allow_anonymous = true``, and then under a
  banner. Nobody who is not signed in ever receives e-mail addresses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

from .privacy import EmailLevel

#: Streamlit's own keys directly under ``[auth]`` (the rest, if any, describe the default provider).
SHARED_AUTH_KEYS = ("redirect_uri", "cookie_secret", "expose_tokens")
#: What Streamlit requires of every provider.
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
#: Shortest ``cookie_secret`` accepted: it signs the identity cookie, so a short one could be guessed.
MIN_COOKIE_SECRET = 32
#: Labels for providers recognised by name or by their metadata URL's host.
KNOWN_PROVIDERS = {
    "google": "Google", "microsoft": "Microsoft", "entra": "Microsoft", "azure": "Microsoft",
    "okta": "Okta", "auth0": "Auth0", "keycloak": "Keycloak", "github": "GitHub",
}
_HOST_LABELS = (("accounts.google.com", "Google"), ("login.microsoftonline.com", "Microsoft"),
                (".okta.com", "Okta"), (".auth0.com", "Auth0"))
#: Microsoft's shared tenants: their metadata names no issuer a token can match.
ENTRA_SHARED_TENANTS = ("common", "organizations", "consumers")

_ADDRESS = re.compile(r"[^@\s\"(),:;<>\[\]\\]{1,64}@(?P<domain>[^@\s\"(),:;<>\[\]\\]{1,253})")
_DOMAIN = re.compile(r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})")
NOT_SIGNED_IN = "anonymous"


class Role(StrEnum):
    """What a viewer is, for this rerun."""

    ANONYMOUS = "anonymous"  # not signed in
    REFUSED = "refused"      # signed in, not on the list (or no usable address)
    VIEWER = "viewer"        # on the list: every response, no e-mail addresses
    ANALYST = "analyst"      # a viewer who may also see e-mail addresses


class Screen(StrEnum):
    """What the page shows instead of, or above, the data."""

    DATA = "data"            # the data, nothing in the way
    BANNER = "banner"        # the data under a "Not signed in" banner (allow_anonymous)
    SIGN_IN = "sign_in"      # a sign-in button per provider, no data
    REFUSED = "refused"      # a polite refusal with the contact and a sign-out button, no data
    SET_UP = "set_up"        # a set-up message, no data


@dataclass(frozen=True)
class Provider:
    """One sign-in button: ``st.login(name)`` (``name`` None: ``st.login()``), labelled ``label``."""

    name: str | None
    label: str


@dataclass(frozen=True)
class AllowList:
    """Addresses and ``@domains``, normalised (trimmed, lower case)."""

    addresses: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()

    def matches(self, address: str | None) -> bool:
        """Whether ``address`` is listed, or lies in a listed domain (exactly that domain)."""
        norm = normalise_address(address)
        if norm is None:
            return False
        return norm in self.addresses or norm.rpartition("@")[2] in self.domains

    def __bool__(self) -> bool:
        return bool(self.addresses or self.domains)


@dataclass(frozen=True)
class AccessPolicy:
    """``[auth]`` and ``[access]`` as read from the secrets.

    ``auth_present``: an ``[auth]`` section exists (so every source needs sign-in);
    ``problems``: why sign-in cannot work as configured (the gate then shows them and no
    data); ``warnings``: entries ignored, such as a list entry that is not an address or a
    broken provider while another works (log them; they never widen access).
    """

    viewers: AllowList = field(default_factory=AllowList)
    analysts: AllowList = field(default_factory=AllowList)
    contact: str = ""
    allow_anonymous: bool = False
    auth_present: bool = False
    providers: tuple[Provider, ...] = ()
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def auth_ready(self) -> bool:
        """``[auth]`` is present and sign-in can work."""
        return self.auth_present and bool(self.providers) and not self.problems


@dataclass(frozen=True)
class Viewer:
    """Who is looking, decided afresh on every rerun."""

    role: Role
    email: str | None = None   # the address the decision used (normalised), if any
    name: str = ""             # for "Signed in as …": the name claim, else the address
    reason: str = ""           # why this role, in plain words (for the log and the refusal)
    provider: str | None = None

    @property
    def who(self) -> str:
        """The viewer in the access record: the address, else the provider's subject, else "anonymous"."""
        return self.email or self.name or NOT_SIGNED_IN

    @property
    def is_analyst(self) -> bool:
        return self.role is Role.ANALYST


@dataclass(frozen=True)
class AccessDecision:
    """Whether this viewer gets the data, what to show instead or above it, and how much e-mail."""

    screen: Screen
    viewer: Viewer
    message: str = ""          # plain text (escape it before Markdown); "" when nothing to say
    contact: str = ""
    providers: tuple[Provider, ...] = ()

    @property
    def show_data(self) -> bool:
        return self.screen in (Screen.DATA, Screen.BANNER)

    @property
    def may_reveal(self) -> bool:
        """Whether to offer "Show e-mail addresses"."""
        return self.show_data and self.viewer.is_analyst

    def email_level(self, reveal: bool = False) -> EmailLevel:
        """How much e-mail the viewer receives: none below analyst; analysts masked, or full if ``reveal``."""
        if not self.may_reveal:
            return EmailLevel.NONE
        return EmailLevel.FULL if reveal else EmailLevel.MASKED


# -- addresses -------------------------------------------------------------------------------


def _clean(text: object) -> str:
    return unicodedata.normalize("NFC", str(text)).strip().lower()


def normalise_address(value: object) -> str | None:
    """One e-mail address, trimmed and in lower case, or None when ``value`` isn't exactly one."""
    if not isinstance(value, str):
        return None
    text = _clean(value).rstrip(".")
    m = _ADDRESS.fullmatch(text)
    if not m or not _DOMAIN.fullmatch(m.group("domain")):
        return None
    return text


def normalise_domain(value: object) -> str | None:
    """``@d2i.org.uk`` (or ``d2i.org.uk``) → ``d2i.org.uk``; None when not a domain name."""
    if not isinstance(value, str):
        return None
    text = _clean(value).removeprefix("@").rstrip(".")
    return text if _DOMAIN.fullmatch(text) else None


def parse_allow_list(entries: object, name: str) -> tuple[AllowList, list[str]]:
    """An ``[access]`` list → (the allow-list, warnings naming each entry ignored).

    A single string is read as a list split on commas, semicolons and whitespace.
    """
    if entries is None:
        return AllowList(), []
    if isinstance(entries, str):
        entries = [e for e in re.split(r"[,;\s]+", entries) if e]
    elif not isinstance(entries, (list, tuple, set, frozenset)):
        return AllowList(), [f"[access] {name} should be a list of addresses; it was ignored."]
    addresses, domains, warnings = set(), set(), []
    for entry in entries:
        text = entry.strip() if isinstance(entry, str) else entry
        if isinstance(text, str) and text.startswith("@"):
            domain = normalise_domain(text)
            if domain:
                domains.add(domain)
                continue
        elif isinstance(text, str) and "*" in text:
            warnings.append(f"[access] {name}: {text[:80]!r} looks like a wildcard, which is not supported "
                            "(write @domain for everyone in a domain); it was ignored.")
            continue
        elif (address := normalise_address(text)) is not None:
            addresses.add(address)
            continue
        warnings.append(f"[access] {name}: {str(entry)[:80]!r} is neither an address nor @domain; it was ignored.")
    return AllowList(frozenset(addresses), frozenset(domains)), warnings


# -- [auth] ------------------------------------------------------------------------------------


def _mapping(value: object) -> Mapping | None:
    return value if isinstance(value, Mapping) else None


def _label(name: str | None, section: Mapping) -> str:
    """A provider's button label: its ``label``, a known name, its metadata host, else its name."""
    own = section.get("label")
    if isinstance(own, str) and own.strip():
        return own.strip()
    if name and name.lower() in KNOWN_PROVIDERS:
        return KNOWN_PROVIDERS[name.lower()]
    host = (urlsplit(str(section.get("server_metadata_url", ""))).hostname or "").lower()
    for suffix, label in _HOST_LABELS:
        if host == suffix.lstrip(".") or host.endswith(suffix):
            return label
    return name.replace("-", " ").capitalize() if name else "your organisation's account"


def _provider_problems(name: str | None, section: Mapping) -> list[str]:
    where = "[auth]" if name is None else f"[auth.{name}]"
    problems = [f"{where} is missing {key}." for key in PROVIDER_KEYS if not section.get(key)]
    url = str(section.get("server_metadata_url") or "")
    parts = urlsplit(url)
    if url and parts.scheme not in ("https", "http"):
        problems.append(f"{where} server_metadata_url must be an https:// address.")
    if (parts.hostname or "").lower() == "login.microsoftonline.com":
        tenant = parts.path.strip("/").split("/")[0].lower()
        if tenant in ENTRA_SHARED_TENANTS:
            problems.append(
                f"{where} server_metadata_url uses Microsoft's shared '{tenant}' tenant, whose tokens fail the "
                "issuer check: use your tenant's own, https://login.microsoftonline.com/<tenant-id>/v2.0/"
                ".well-known/openid-configuration.")
    if name is not None and "_" in name:
        problems.append(f"{where}: Streamlit does not accept '_' in a provider's name; use '-' or nothing.")
    return problems


def list_providers(auth: Mapping) -> tuple[tuple[Provider, ...], list[str]]:
    """The providers under ``[auth]`` (one directly under it, and/or named sub-sections such as
    ``[auth.google]``), each with a human label; and the problems found with them."""
    providers: list[Provider] = []
    problems: list[str] = []
    if any(key in auth for key in PROVIDER_KEYS):
        found = _provider_problems(None, auth)
        problems += found
        if not found:
            providers.append(Provider(None, _label(None, auth)))
    for name, section in auth.items():
        section = _mapping(section)
        if section is None or name in SHARED_AUTH_KEYS or name == "client_kwargs":
            continue
        found = _provider_problems(str(name), section)
        problems += found
        if not found:
            providers.append(Provider(str(name), _label(str(name), section)))
    return tuple(providers), problems


def _auth_problems(auth: Mapping) -> list[str]:
    problems = []
    redirect = auth.get("redirect_uri")
    if not isinstance(redirect, str) or not redirect.strip():
        problems.append("[auth] is missing redirect_uri (your app's address followed by /oauth2callback).")
    else:
        parts = urlsplit(redirect.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc or not parts.path.endswith("/oauth2callback"):
            problems.append("[auth] redirect_uri must be your app's full address ending in /oauth2callback, "
                            "e.g. https://insight.example.org/oauth2callback.")
    secret = auth.get("cookie_secret")
    if not isinstance(secret, str) or not secret.strip():
        problems.append("[auth] is missing cookie_secret (a long random string).")
    elif len(secret) < MIN_COOKIE_SECRET:
        problems.append(f"[auth] cookie_secret is too short ({len(secret)} characters): use at least "
                        f"{MIN_COOKIE_SECRET} random characters, e.g. the output of "
                        "python -c \"import secrets; print(secrets.token_urlsafe(48))\".")
    return problems


def _flag(value: object, name: str) -> tuple[bool, list[str]]:
    """A true/false setting; anything unclear counts as false (and is reported)."""
    if isinstance(value, bool):
        return value, []
    if value is None:
        return False, []
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true", []
    return False, [f"[access] {name} should be true or false; it was read as false."]


def load_policy(secrets: Mapping | None) -> AccessPolicy:
    """The access policy from the secrets' ``[auth]`` and ``[access]`` sections."""
    secrets = secrets or {}
    access = _mapping(secrets.get("access")) or {}
    auth = _mapping(secrets.get("auth"))
    warnings: list[str] = []
    viewers, found = parse_allow_list(access.get("viewers"), "viewers")
    warnings += found
    analysts, found = parse_allow_list(access.get("analysts"), "analysts")
    warnings += found
    allow_anonymous, found = _flag(access.get("allow_anonymous"), "allow_anonymous")
    warnings += found
    contact = str(access.get("contact") or "").strip()
    providers: tuple[Provider, ...] = ()
    problems: list[str] = []
    auth_present = auth is not None and len(auth) > 0
    if auth_present:
        providers, provider_problems = list_providers(auth)
        problems = _auth_problems(auth)
        # a broken provider gets no button; only when none works is sign-in itself broken
        (warnings if providers else problems).extend(provider_problems)
        if not providers and not problems:
            problems.append("[auth] names no provider: add client_id, client_secret and server_metadata_url "
                            "under [auth], or a section per provider such as [auth.google].")
        if allow_anonymous:
            warnings.append("[access] allow_anonymous is ignored while [auth] is set: everyone signs in.")
        if not viewers and not analysts:
            warnings.append("[access] lists no viewers or analysts: everyone who signs in is refused.")
    return AccessPolicy(viewers, analysts, contact, allow_anonymous, auth_present, providers, tuple(problems),
                        tuple(warnings))


# -- the viewer ---------------------------------------------------------------------------------


def _is_true(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def claimed_address(user: Mapping) -> tuple[str | None, str]:
    """The address that counts for a signed-in user, or None; and, when None, why.

    ``email`` (unless ``email_verified`` says otherwise), else, with no ``email`` claim at
    all, ``preferred_username`` when it is an address. ``hd`` is never read.
    """
    verified = user.get("email_verified")
    if verified is not None and not _is_true(verified):
        return None, "the sign-in provider has not verified the e-mail address"
    email = user.get("email")
    if isinstance(email, str) and email.strip():
        address = normalise_address(email)
        return (address, "") if address else (None, "the sign-in provider sent no usable e-mail address")
    address = normalise_address(user.get("preferred_username"))
    if address:
        return address, ""
    return None, "the sign-in provider sent no e-mail address"


def identify(policy: AccessPolicy, user: Mapping | None) -> Viewer:
    """The viewer's role from ``st.user`` (a mapping of claims), decided against the lists."""
    user = user or {}
    if not policy.auth_ready or not _is_true(user.get("is_logged_in")):
        return Viewer(Role.ANONYMOUS, reason="not signed in")
    provider = user.get("provider") if isinstance(user.get("provider"), str) else None
    address, why = claimed_address(user)
    name = user.get("name") if isinstance(user.get("name"), str) and user.get("name").strip() else None
    if address is None:
        subject = str(user.get("sub") or "")[:80]
        return Viewer(Role.REFUSED, None, name or subject, why, provider)
    display = name.strip() if name else address
    if policy.analysts.matches(address):
        return Viewer(Role.ANALYST, address, display, f"{address} is listed as an analyst", provider)
    if policy.viewers.matches(address):
        return Viewer(Role.VIEWER, address, display, f"{address} is listed as a viewer", provider)
    return Viewer(Role.REFUSED, address, display, f"{address} is not on the list of viewers", provider)


# -- the gate ------------------------------------------------------------------------------------

#: Sources whose file the person running the dashboard holds (no sign-in needed without [auth]).
LOCAL_SOURCES = frozenset({"demo", "workbook", "upload"})
BANNER = "Not signed in: anyone with this address can see these responses."
SIGN_IN = "Sign in to see the consultation responses."
LIVE_NEEDS_SIGN_IN = (
    "The live Google Sheet is configured, but sign-in is not, so no responses are shown. Add the [auth] "
    "and [access] sections to the secrets (the README's \"Sign-in\" section walks through it). On a laptop "
    "or a private network only, [access] allow_anonymous = true shows them without sign-in.")


def refusal_message(viewer: Viewer, contact: str) -> str:
    """The polite refusal a signed-in person not on the list sees."""
    who = f" as {viewer.email}" if viewer.email else ""
    text = f"You are signed in{who}, but this dashboard is only open to the feedback analysis team."
    if viewer.role is Role.REFUSED and viewer.email is None:
        text += f" ({viewer.reason[:1].upper()}{viewer.reason[1:]}.)"
    ask = f"write to {contact}" if contact else "ask the person who sent you the link"
    return f"{text} If you should have access, {ask}, or sign out and sign in with another account."


def decide(policy: AccessPolicy, viewer: Viewer, source_kind: str) -> AccessDecision:
    """Whether ``viewer`` may see data from a source of ``source_kind`` (demo, workbook, upload or
    sheet; anything else is treated as the live sheet), and what to show."""
    if policy.auth_present:
        if not policy.auth_ready:
            text = "Sign-in is configured but cannot work yet, so no responses are shown: " + " ".join(
                policy.problems)
            return AccessDecision(Screen.SET_UP, viewer, text, policy.contact)
        if viewer.role is Role.ANONYMOUS:
            return AccessDecision(Screen.SIGN_IN, viewer, SIGN_IN, policy.contact, policy.providers)
        if viewer.role is Role.REFUSED:
            return AccessDecision(Screen.REFUSED, viewer, refusal_message(viewer, policy.contact), policy.contact)
        return AccessDecision(Screen.DATA, viewer, "", policy.contact)
    anonymous = Viewer(Role.ANONYMOUS, reason="sign-in is not configured")
    if source_kind in LOCAL_SOURCES:
        return AccessDecision(Screen.DATA, anonymous, "", policy.contact)
    if policy.allow_anonymous:
        return AccessDecision(Screen.BANNER, anonymous, BANNER, policy.contact)
    return AccessDecision(Screen.SET_UP, anonymous, LIVE_NEEDS_SIGN_IN, policy.contact)
