"""You said, we did: per page of the site or per theme, what the team heard and what it will do, with
the responses behind each entry; exported as a Markdown page for the site, a Word document and CSV."""

import datetime as dt

import streamlit as st

from lib import you_said as ys
from lib.safe_text import escape_markdown
from lib.store import EntryChange, EntryConflict, StoreError
from lib.triage import join_triage
from lib.ui import store as team_store
from lib.ui.downloads import download_buttons, download_file
from lib.ui.view import current

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

v = current()
c, ds = v.consultation, v.dataset
work = team_store.store(c)

st.title(ys.TITLE)
per = st.segmented_control("Entries", ("Per page", "Per theme"), default="Per page", required=True,
                           key="you_said_scope", bind="query-params",
                           help="Per page of the site, or per theme of the team's themes (the Themes page).")
kind = ys.THEME if per == "Per theme" else ys.PAGE
st.caption(f"For each {'theme' if kind == ys.THEME else 'page of the site'}: what people said and what the team "
           "will do about it, ready to publish. Counts are of the kept page-feedback responses under the sidebar "
           "filters.")
if work is None:
    st.error(escape_markdown(team_store.problem() or "The analysis store is not available."), icon=":material/error:")
    st.stop()

responses = join_triage(v.feedback, v.triage, v.new_status) if v.triage is not None else v.feedback
themes = getattr(v.team_themes, "themes", None)
if kind == ys.THEME:
    if themes is None:
        st.info(escape_markdown(getattr(v.team_themes, "message", None) or "No themes yet: see the Themes page."),
                icon=":material/info:")
        st.stop()
    table = ys.said_did_table(work.said_did.frame(ys.THEME), responses, scope_kind=ys.THEME,
                              themes=themes.assignment, theme_labels=themes.labels,
                              triage_statuses=c.triage_status_labels)
else:
    table = ys.said_did_table(work.said_did.frame(ys.PAGE), responses, scope_kind=ys.PAGE, pages=ds.pages,
                              triage_statuses=c.triage_status_labels)
base_name = "you-said-we-did-themes" if kind == ys.THEME else "you-said-we-did"
today = dt.datetime.now(dt.UTC).date()
written = ys.written_count(table)

with st.container(key="you_said_exports", horizontal=True, vertical_alignment="center"):
    st.markdown(f"**{written}** of {len(table)} {'themes' if kind == ys.THEME else 'pages'} have an entry.")
    download_file(lambda: ys.to_markdown(table, site_name=c.site_name, generated=today).encode("utf-8"),
                  base_name, "md", "text/markdown", "you_said_md", label="Markdown page for the site",
                  rows=written, icon=":material/description:")
    download_file(lambda: ys.to_docx_bytes(table, site_name=c.site_name, generated=today,
                                           scope_heading="Theme" if kind == ys.THEME else "Page"), base_name,
                  "docx", DOCX_MIME, "you_said_docx", label="Word document", rows=written, icon=":material/article:")
    download_buttons(lambda: ys.csv_frame(table), base_name, "you_said")


def save(key: str, scope_key: str, version: int) -> None:
    """Save one entry (a callback); a version someone else saved meanwhile is kept and both are shown."""
    change = EntryChange(heard=st.session_state[f"{key}_heard"], action=st.session_state[f"{key}_action"],
                         status=st.session_state[f"{key}_status"])
    try:
        work.said_did.save(kind, scope_key, version, change, team_store.who())
        st.session_state.pop(f"you_said_conflict_{scope_key}", None)
        st.toast("Saved.", icon=":material/check:")
    except EntryConflict as conflict:
        st.session_state[f"you_said_conflict_{scope_key}"] = conflict
    except StoreError as exc:
        st.toast(escape_markdown(exc, limit=200), icon=":material/error:")


editable = team_store.may_edit()
statuses = c.said_did_status_labels
for i, row in table.iterrows():
    mark = ":material/edit_note:" if (row["heard"] or row["action"]) else ":material/radio_button_unchecked:"
    status = f" · {row['entry_status']}" if row["entry_status"] else ""
    n = int(row["responses"])
    with st.expander(f"{escape_markdown(row['title'])} · {n:,} response{'' if n == 1 else 's'}{status}", icon=mark):
        key = f"you_said_{kind}_{i}_{row['version']}"
        if editable:
            with st.form(key, border=False, enter_to_submit=False):
                st.text_area("What you said", value=row["heard"], key=f"{key}_heard", max_chars=20_000, height=110)
                st.text_area("What we will do", value=row["action"], key=f"{key}_action", max_chars=20_000,
                             height=110)
                st.selectbox("Status", statuses, key=f"{key}_status",
                             index=statuses.index(row["entry_status"]) if row["entry_status"] in statuses else 0)
                st.form_submit_button("Save", icon=":material/save:", on_click=save,
                                      args=(key, row["scope_key"], int(row["version"])))
            conflict = st.session_state.get(f"you_said_conflict_{row['scope_key']}")
            if conflict is not None:
                st.warning(escape_markdown(conflict), icon=":material/sync_problem:")
                st.markdown(f"**Saved by {escape_markdown(conflict.current.updated_by or 'someone')}:**  \n"
                            + escape_markdown(conflict.current.heard, multiline=True) + "\n\n"
                            + escape_markdown(conflict.current.action, multiline=True))
        elif row["heard"] or row["action"]:
            st.markdown(f"**What you said**\n\n{escape_markdown(row['heard'], multiline=True)}\n\n"
                        f"**What we will do**\n\n{escape_markdown(row['action'], multiline=True)}")
        else:
            st.caption(f"Nothing written for this {'theme' if kind == ys.THEME else 'page'} yet.")
        behind = ys.responses_for(kind, row["scope_key"], responses, themes.assignment if themes else None)
        if len(behind):
            st.dataframe(ys.responses_display(behind, c.short_reaction), hide_index=True,
                         key=f"you_said_{kind}_{i}_responses",
                         column_config={"Submitted": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")})
