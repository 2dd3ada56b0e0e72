"""AppTest simulating viewers through ``at.user`` on the sign-in scratch app (tests/e2e/auth_app.py):
not signed in, refused, viewer, analyst with e-mail hidden and shown, sign-out, a removal taking
effect on the next rerun, and the gate without ``[auth]``.

``at.user`` is the dict the run reads as ``st.user``. Set ``is_logged_in`` yourself: Streamlit
adds ``is_logged_in: False`` only when the real secrets file has ``[auth]``, which ``at.secrets``
does not reach. ``st.logout()`` in a run turns ``at.user`` into ``{"is_logged_in": False}``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import access_record
from tests.e2e.auth_app import MARKER, PLANTED
from tests.oidc_mock import COOKIE_SECRET

SCRATCH = Path(__file__).resolve().parents[1] / "e2e" / "auth_app.py"
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": COOKIE_SECRET,
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration"}
ACCESS = {"viewers": ["ana@council.gov.uk"], "analysts": ["sam@council.gov.uk"],
          "contact": "insight-team@council.gov.uk"}
MASKED = "p***@example.org"


def run(user: dict | None, *, auth: bool = True, source: str = "sheet", **access) -> AppTest:
    at = AppTest.from_file(SCRATCH, default_timeout=30)
    at.secrets = {**({"auth": AUTH} if auth else {}), "access": {**ACCESS, **access}, "scratch": {"source": source}}
    at.user = user if user is not None else {}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def signed_in(email: str, **claims) -> dict:
    return {"is_logged_in": True, "email": email, "email_verified": True, "name": email.split("@")[0].title(),
            **claims}


def shown(at: AppTest) -> str:
    """Everything the run put on the page, as text (tables included)."""
    parts = [e.value for e in at.markdown] + [e.value for e in at.code] + [e.value for e in at.warning]
    parts += [e.value for e in at.info] + [b.label for b in at.button]
    parts += [df.value.to_csv() for df in at.dataframe]
    return "\n".join(str(p) for p in parts)


def role(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("Role:"))


@pytest.fixture(autouse=True)
def empty_record():
    access_record.ACCESS_LOG.clear()
    yield
    access_record.ACCESS_LOG.clear()


def test_not_signed_in_sees_a_button_per_provider_and_no_data():
    at = run({"is_logged_in": False})
    assert role(at) == "Role: **anonymous** · screen: **sign_in**"
    assert [b.label for b in at.button] == ["Sign in with Google"]
    assert MARKER not in shown(at) and not at.dataframe


def test_a_refused_person_sees_the_contact_and_no_data():
    at = run(signed_in("bob@gmail.example"))
    text = shown(at)
    assert "insight-team@council.gov.uk" in text.replace("\\", "")
    assert MARKER not in text and PLANTED not in text and MASKED not in text
    assert [e["event"] for e in access_record.ACCESS_LOG.entries()] == ["refusal"]


def test_a_viewer_sees_the_data_with_addresses_masked_and_no_email_column():
    at = run(signed_in("ana@council.gov.uk"))
    (table,) = [df.value for df in at.dataframe]
    assert "email" not in table.columns
    assert list(table["details"]) == [f"Please write to {MASKED} about this", ""]
    assert not at.toggle
    assert "Signed in as **Ana** (viewer)" in shown(at)


def test_an_analyst_sees_addresses_masked_until_they_reveal_them():
    at = run(signed_in("Sam@Council.gov.uk"))
    table = at.dataframe[0].value
    assert list(table["email"]) == [MASKED, ""]
    assert PLANTED not in shown(at)

    at.toggle(key="show_email").set_value(True).run()
    table = at.dataframe[0].value
    assert list(table["email"]) == [PLANTED, ""]
    assert list(table["details"]) == [f"Please write to {PLANTED} about this", ""]
    assert [e["event"] for e in access_record.ACCESS_LOG.entries()] == ["reveal", "sign-in"]
    record = at.dataframe[1].value   # the analyst reads the access record
    assert list(record["event"]) == ["reveal", "sign-in"] and set(record["who"]) == {"sam@council.gov.uk"}


def test_signing_out_leaves_a_signed_out_user():
    at = run(signed_in("ana@council.gov.uk"))
    at.button(key="sign_out").click().run()
    assert at.user == {"is_logged_in": False}
    assert not at.dataframe                       # the run that signs out draws no data
    at.run()
    assert [b.label for b in at.button] == ["Sign in with Google"]


def test_a_removal_takes_effect_on_the_next_rerun():
    at = run(signed_in("ana@council.gov.uk"))
    assert at.dataframe
    at.secrets["access"] = {**ACCESS, "viewers": []}
    at.run()
    assert not at.dataframe and "refused" in role(at)


@pytest.mark.parametrize(("source", "allow", "screen"), [
    ("demo", False, "data"), ("workbook", False, "data"), ("upload", False, "data"),
    ("sheet", False, "set_up"), ("sheet", True, "banner")])
def test_without_auth(source, allow, screen):
    at = run({}, auth=False, source=source, allow_anonymous=allow)
    assert f"screen: **{screen}**" in role(at)
    assert bool(at.dataframe) is (screen != "set_up")
    if at.dataframe:
        assert "email" not in at.dataframe[0].value.columns   # nobody unsigned sees e-mail
    if screen == "banner":
        assert "anyone with this address can see these responses" in shown(at)


def test_apptests_default_user_is_not_signed_in():
    # AppTest's default st.user is {"email": "test@example.com"} with no is_logged_in: no access
    at = AppTest.from_file(SCRATCH, default_timeout=30)
    at.secrets = {"auth": AUTH, "access": {"viewers": ["test@example.com"]}}
    at.run()
    assert at.user == {"email": "test@example.com"}
    assert "anonymous" in role(at) and not at.dataframe
