"""The access policy on literal secrets and literal ``st.user`` claims: lists, domains, case,
``email_verified``, the ``preferred_username`` fallback, providers, and the gate per source."""

from __future__ import annotations

import pytest

from lib.access import (
    AccessPolicy,
    Provider,
    Role,
    Screen,
    Viewer,
    claimed_address,
    decide,
    identify,
    list_providers,
    load_policy,
    normalise_address,
    parse_allow_list,
)
from lib.privacy import EmailLevel

SECRET = "s" * 48
GOOGLE = "https://accounts.google.com/.well-known/openid-configuration"
TENANT = "https://login.microsoftonline.com/8e2b7a51-1c1f-4c2e-9f59-3c6f1a2b3c4d/v2.0/.well-known/openid-configuration"


def auth(**extra) -> dict:
    """One provider directly under [auth] (the issue's shape)."""
    return {"redirect_uri": "https://insight.example.org/oauth2callback", "cookie_secret": SECRET,
            "client_id": "id", "client_secret": "secret", "server_metadata_url": GOOGLE, **extra}


def secrets(viewers=("ana@council.gov.uk", "@d2i.org.uk"), analysts=("sam@council.gov.uk",), **access) -> dict:
    return {"auth": auth(), "access": {"viewers": list(viewers), "analysts": list(analysts),
                                       "contact": "insight-team@council.gov.uk", **access}}


def signed_in(email=None, **claims) -> dict:
    user = {"is_logged_in": True, "sub": "1234", **claims}
    if email is not None:
        user["email"] = email
    return user


@pytest.fixture
def policy() -> AccessPolicy:
    return load_policy(secrets())


# -- the lists -------------------------------------------------------------------------------


@pytest.mark.parametrize(("email", "role"), [
    ("ana@council.gov.uk", Role.VIEWER),
    ("  ANA@Council.GOV.uk ", Role.VIEWER),          # trimmed, any case
    ("sam@council.gov.uk", Role.ANALYST),
    ("Sam@COUNCIL.gov.uk", Role.ANALYST),
    ("bob@council.gov.uk", Role.REFUSED),            # same domain as a listed address: not listed
    ("anyone@d2i.org.uk", Role.VIEWER),              # @domain
    ("Anyone@D2I.ORG.UK", Role.VIEWER),
    ("x@team.d2i.org.uk", Role.REFUSED),             # sub-domains are not included
    ("x@evil-d2i.org.uk", Role.REFUSED),             # suffix look-alikes never match
    ("x@evild2i.org.uk", Role.REFUSED),
    ("x@d2i.org.uk.evil.example", Role.REFUSED),
    ("d2i.org.uk@evil.example", Role.REFUSED),
    ("ana@council.gov.uk.evil.example", Role.REFUSED),
    ("ana@council.gov.uk, x@evil.example", Role.REFUSED),  # not one address
    ("ana@council.gov.uk\nx", Role.REFUSED),
])
def test_roles_from_the_lists(policy, email, role):
    assert identify(policy, signed_in(email)).role is role


def test_an_analyst_need_not_be_listed_as_a_viewer_too():
    only_analysts = load_policy(secrets(viewers=(), analysts=("sam@council.gov.uk", "@analysis.example")))
    assert identify(only_analysts, signed_in("sam@council.gov.uk")).role is Role.ANALYST
    assert identify(only_analysts, signed_in("lee@analysis.example")).role is Role.ANALYST
    assert identify(only_analysts, signed_in("ana@council.gov.uk")).role is Role.REFUSED


def test_list_entries_that_are_not_addresses_are_ignored_and_reported():
    found, warnings = parse_allow_list(["ana@council.gov.uk", "@d2i.org.uk", "bob", "@", "*@x.example",
                                        "@*.d2i.org.uk", 42, " Cat@Example.ORG "], "viewers")
    assert found.addresses == {"ana@council.gov.uk", "cat@example.org"}
    assert found.domains == {"d2i.org.uk"}
    assert len(warnings) == 5
    assert any("'*@x.example'" in w and "wildcard" in w for w in warnings)
    assert not found.matches("x@x.example") and not found.matches("bob")


def test_a_single_string_is_read_as_a_list():
    found, warnings = parse_allow_list("ana@council.gov.uk, @d2i.org.uk", "viewers")
    assert (found.addresses, found.domains, warnings) == ({"ana@council.gov.uk"}, {"d2i.org.uk"}, [])


def test_no_lists_refuses_everyone_who_signs_in():
    empty = load_policy({"auth": auth(), "access": {}})
    assert identify(empty, signed_in("ana@council.gov.uk")).role is Role.REFUSED
    assert any("everyone who signs in is refused" in w for w in empty.warnings)
    assert identify(load_policy({"auth": auth()}), signed_in("ana@council.gov.uk")).role is Role.REFUSED


@pytest.mark.parametrize(("value", "address"), [
    ("ana@council.gov.uk", "ana@council.gov.uk"),
    (" Ana.Smith+consult@Council.Gov.UK ", "ana.smith+consult@council.gov.uk"),
    ("ana@council.gov.uk.", "ana@council.gov.uk"),
    ("jürgen@münchen.de", "jürgen@münchen.de"),
    ("ana", None), ("ana@", None), ("@council.gov.uk", None), ("ana@localhost", None), ("a@b@c.org", None),
    ("ana @council.gov.uk", None), ("<ana@council.gov.uk>", None), (None, None), (42, None),
])
def test_normalise_address(value, address):
    assert normalise_address(value) == address


# -- which address counts ----------------------------------------------------------------------


@pytest.mark.parametrize("verified", [False, "false", "False", " FALSE ", 0, "no"])
def test_an_address_the_provider_has_not_verified_does_not_count(policy, verified):
    viewer = identify(policy, signed_in("sam@council.gov.uk", email_verified=verified))
    assert viewer.role is Role.REFUSED
    assert viewer.email is None
    assert "not verified" in viewer.reason


@pytest.mark.parametrize("verified", [True, "true", "TRUE", None])
def test_verified_or_unsaid_addresses_count(policy, verified):
    claims = signed_in("sam@council.gov.uk")
    if verified is not None:
        claims["email_verified"] = verified
    assert identify(policy, claims).role is Role.ANALYST


def test_entra_without_an_email_claim_falls_back_to_preferred_username(policy):
    entra = signed_in(preferred_username="Sam@Council.gov.uk", name="Sam Smith",
                      iss="https://login.microsoftonline.com/8e2b7a51/v2.0")
    viewer = identify(policy, entra)
    assert (viewer.role, viewer.email, viewer.name) == (Role.ANALYST, "sam@council.gov.uk", "Sam Smith")


def test_preferred_username_counts_only_when_there_is_no_email_claim_and_it_is_an_address(policy):
    # an email claim wins, even when preferred_username would be listed
    assert identify(policy, signed_in("bob@gmail.example", preferred_username="sam@council.gov.uk")).role \
        is Role.REFUSED
    # not an address
    assert claimed_address(signed_in(preferred_username="sam")) == (None, "the sign-in provider sent no e-mail address")
    # the provider says the address is unverified: the fallback doesn't apply either
    assert identify(policy, signed_in(preferred_username="sam@council.gov.uk", email_verified=False)).role \
        is Role.REFUSED


def test_googles_hd_claim_is_never_trusted(policy):
    assert identify(policy, signed_in("someone@gmail.example", hd="d2i.org.uk")).role is Role.REFUSED
    assert identify(policy, signed_in(hd="d2i.org.uk")).role is Role.REFUSED


@pytest.mark.parametrize("user", [None, {}, {"email": "sam@council.gov.uk"}, {"is_logged_in": False},
                                  {"is_logged_in": "false", "email": "sam@council.gov.uk"}])
def test_not_signed_in_is_anonymous(policy, user):
    assert identify(policy, user).role is Role.ANONYMOUS


def test_without_auth_nobody_is_signed_in():
    # a st.user that says logged in (another host's own sign-in) grants nothing without our [auth]
    no_auth = load_policy({"access": {"analysts": ["sam@council.gov.uk"]}})
    assert identify(no_auth, signed_in("sam@council.gov.uk")).role is Role.ANONYMOUS


def test_the_viewer_carries_what_the_record_and_sidebar_need(policy):
    viewer = identify(policy, signed_in("Ana@Council.gov.uk", provider="google"))
    assert (viewer.who, viewer.name, viewer.provider) == ("ana@council.gov.uk", "ana@council.gov.uk", "google")
    refused = identify(policy, signed_in(email_verified=False, name="Lee"))
    assert (refused.role, refused.who) == (Role.REFUSED, "Lee")
    assert Viewer(Role.ANONYMOUS).who == "anonymous"


# -- providers ---------------------------------------------------------------------------------


def test_one_provider_directly_under_auth():
    providers, problems = list_providers(auth())
    assert (providers, problems) == ((Provider(None, "Google"),), [])


def test_named_providers_each_get_a_button_with_a_label():
    section = {"redirect_uri": "https://insight.example.org/oauth2callback", "cookie_secret": SECRET,
               "google": {"client_id": "a", "client_secret": "b", "server_metadata_url": GOOGLE},
               "microsoft": {"client_id": "a", "client_secret": "b", "server_metadata_url": TENANT},
               "council-idp": {"client_id": "a", "client_secret": "b",
                               "server_metadata_url": "https://idp.council.example/.well-known/openid-configuration"},
               "staff": {"client_id": "a", "client_secret": "b", "server_metadata_url": TENANT},
               "mock": {"client_id": "a", "client_secret": "b", "label": "Test accounts",
                        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}
    providers, problems = list_providers(section)
    assert problems == []
    assert [(p.name, p.label) for p in providers] == [
        ("google", "Google"), ("microsoft", "Microsoft"), ("council-idp", "Council idp"), ("staff", "Microsoft"),
        ("mock", "Test accounts")]


def test_a_broken_provider_gets_no_button_while_another_works():
    section = {"redirect_uri": "https://insight.example.org/oauth2callback", "cookie_secret": SECRET,
               "google": {"client_id": "a", "client_secret": "b", "server_metadata_url": GOOGLE},
               "microsoft": {"client_id": "a", "client_secret": "b", "server_metadata_url":
                             "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"}}
    policy = load_policy({"auth": section})
    assert [p.name for p in policy.providers] == ["google"]
    assert policy.auth_ready
    assert any("'common' tenant" in w and "<tenant-id>" in w for w in policy.warnings)


@pytest.mark.parametrize(("change", "problem"), [
    ({"cookie_secret": "short"}, "cookie_secret is too short (5 characters)"),
    ({"cookie_secret": ""}, "missing cookie_secret"),
    ({"redirect_uri": "https://insight.example.org/"}, "ending in /oauth2callback"),
    ({"redirect_uri": None}, "missing redirect_uri"),
    ({"client_secret": None}, "[auth] is missing client_secret"),
    ({"server_metadata_url":
      "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration"}, "'organizations'"),
    ({"server_metadata_url": "ftp://idp.example/.well-known/openid-configuration"}, "https://"),
])
def test_auth_that_cannot_work_is_a_problem(change, problem):
    section = {k: v for k, v in {**auth(), **change}.items() if v is not None}
    policy = load_policy({"auth": section, "access": {"viewers": ["ana@council.gov.uk"]}})
    assert policy.auth_present and not policy.auth_ready
    assert any(problem in p for p in policy.problems), policy.problems


def test_an_underscore_in_a_provider_name_is_refused_as_streamlit_does():
    providers, problems = list_providers({"my_idp": {"client_id": "a", "client_secret": "b",
                                                     "server_metadata_url": GOOGLE}})
    assert providers == () and "'_'" in problems[0]


def test_auth_with_no_provider_at_all():
    policy = load_policy({"auth": {"redirect_uri": "https://i.example.org/oauth2callback", "cookie_secret": SECRET}})
    assert not policy.auth_ready and "names no provider" in policy.problems[0]


@pytest.mark.parametrize(("value", "flag", "warned"), [
    (True, True, False), (False, False, False), ("true", True, False), ("TRUE", True, False),
    ("yes", False, True), (1, False, True), (None, False, False)])
def test_allow_anonymous_is_a_plain_true_or_false(value, flag, warned):
    policy = load_policy({"access": {"allow_anonymous": value}})
    assert policy.allow_anonymous is flag
    assert bool(policy.warnings) is warned


# -- the gate ----------------------------------------------------------------------------------

SOURCES = ("demo", "workbook", "upload", "sheet")


@pytest.mark.parametrize("source", ["demo", "workbook", "upload"])
def test_without_auth_the_files_the_runner_holds_are_shown(source):
    decision = decide(load_policy({}), identify(load_policy({}), {}), source)
    assert decision.screen is Screen.DATA and decision.show_data
    assert decision.email_level(reveal=True) is EmailLevel.NONE


@pytest.mark.parametrize("source", ["sheet", "something-new"])
def test_without_auth_the_live_sheet_is_not_served(source):
    decision = decide(load_policy({}), identify(load_policy({}), {}), source)
    assert decision.screen is Screen.SET_UP and not decision.show_data
    assert "allow_anonymous = true" in decision.message and "[auth]" in decision.message


def test_allow_anonymous_serves_the_live_sheet_under_a_banner_without_e_mail():
    policy = load_policy({"access": {"allow_anonymous": True}})
    decision = decide(policy, identify(policy, {}), "sheet")
    assert decision.screen is Screen.BANNER and decision.show_data
    assert decision.message == "Not signed in: anyone with this address can see these responses."
    assert decision.email_level(reveal=True) is EmailLevel.NONE
    # files the runner holds need no banner
    assert decide(policy, identify(policy, {}), "demo").screen is Screen.DATA


@pytest.mark.parametrize("source", SOURCES)
def test_with_auth_every_source_needs_sign_in(policy, source):
    decision = decide(policy, identify(policy, {"is_logged_in": False}), source)
    assert decision.screen is Screen.SIGN_IN and not decision.show_data
    assert decision.providers == (Provider(None, "Google"),)


@pytest.mark.parametrize("source", SOURCES)
def test_allow_anonymous_changes_nothing_once_auth_is_set(source):
    policy = load_policy(secrets(allow_anonymous=True))
    assert decide(policy, identify(policy, {}), source).screen is Screen.SIGN_IN
    assert any("allow_anonymous is ignored" in w for w in policy.warnings)


def test_a_refused_person_gets_no_data_a_polite_message_and_the_contact(policy):
    decision = decide(policy, identify(policy, signed_in("bob@gmail.example")), "demo")
    assert decision.screen is Screen.REFUSED and not decision.show_data and not decision.may_reveal
    assert decision.message == (
        "You are signed in as bob@gmail.example, but this dashboard is only open to the feedback analysis team. "
        "If you should have access, write to insight-team@council.gov.uk, or sign out and sign in with another "
        "account.")
    unverified = decide(policy, identify(policy, signed_in("sam@council.gov.uk", email_verified=False)), "demo")
    assert "(The sign-in provider has not verified the e-mail address.)" in unverified.message


def test_a_refusal_without_contact_says_who_to_ask():
    policy = load_policy({"auth": auth(), "access": {"viewers": ["ana@council.gov.uk"]}})
    decision = decide(policy, identify(policy, signed_in("bob@gmail.example")), "sheet")
    assert "ask the person who sent you the link" in decision.message


def test_e_mail_levels_per_role(policy):
    viewer = decide(policy, identify(policy, signed_in("ana@council.gov.uk")), "sheet")
    analyst = decide(policy, identify(policy, signed_in("sam@council.gov.uk")), "sheet")
    assert viewer.screen is Screen.DATA and not viewer.may_reveal
    assert [viewer.email_level(False), viewer.email_level(True)] == [EmailLevel.NONE, EmailLevel.NONE]
    assert analyst.may_reveal
    assert [analyst.email_level(False), analyst.email_level(True)] == [EmailLevel.MASKED, EmailLevel.FULL]


@pytest.mark.parametrize("source", SOURCES)
def test_broken_auth_shows_a_set_up_message_and_no_data(source):
    policy = load_policy({"auth": auth(cookie_secret="short"), "access": {"analysts": ["sam@council.gov.uk"]}})
    decision = decide(policy, identify(policy, signed_in("sam@council.gov.uk")), source)
    assert decision.screen is Screen.SET_UP and not decision.show_data
    assert "cookie_secret is too short" in decision.message
