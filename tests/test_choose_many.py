"""Choosing several options without Streamlit's multi-select (issue 15): `ui.choose_many`.

A multi-select with every option chosen opens on an English "No results"; the app's chips never
open, and the ordered choice offers only what is not chosen yet, then says "Alt er valgt."."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _many():
    import streamlit as st

    from ui.choose_many import choose_many

    st.session_state.setdefault("lang", "da")
    st.session_state["got"] = choose_many("Steder", ["Nord*vest", "Valby", "Amager"], key="sites",
                                          default=["Valby"])
    st.session_state["none"] = choose_many("Koder", [], key="codes")


def _ordered():
    import streamlit as st

    from ui.choose_many import choose_in_order

    st.session_state.setdefault("lang", "da")
    names = {1: "Hvad skete der?", 2: "Hvem var med?", 3: "Hvor stor (0-100)?"}
    st.session_state["got"] = choose_in_order("Spørgsmålene", list(names), key="qs", format_func=names.get,
                                              default=[2])


def test_chips_choose_and_drop_and_show_a_name_as_typed():
    at = AppTest.from_function(_many).run()
    assert not at.exception
    chips = at.pills(key="sites")
    assert chips.value == ["Valby"] and at.session_state["got"] == ["Valby"]
    assert chips.options[0] == "Nord\\*vest"  # escaped: shown with its star, not as emphasis
    chips.select("Nord*vest").run()
    assert not at.exception
    assert sorted(at.session_state["got"]) == ["Nord*vest", "Valby"]
    at.pills(key="sites").unselect("Valby").run()
    assert at.session_state["got"] == ["Nord*vest"]


def test_no_options_is_said_in_danish_and_draws_no_chips():
    at = AppTest.from_function(_many).run()
    assert at.session_state["none"] == []
    assert [p.label for p in at.pills] == ["Steder"]
    assert any(c.value == "Koder: der er ikke noget at vælge endnu." for c in at.caption)


def test_the_ordered_choice_keeps_the_order_things_were_added_in():
    at = AppTest.from_function(_ordered).run()
    assert not at.exception and at.session_state["got"] == [2]
    add = at.selectbox(key="qs_add")
    assert list(add.options) == ["Hvad skete der?", "Hvor stor (0-100)?"]  # only those not chosen
    add.set_value(3).run()
    at.selectbox(key="qs_add").set_value(1).run()
    assert not at.exception
    assert at.session_state["got"] == [2, 3, 1]
    assert not at.selectbox  # every one chosen: no select that would open empty
    assert any(c.value == "Alt er valgt." for c in at.caption)
    [chips] = at.pills
    assert list(chips.options) == ["1\\. Hvem var med?", "2\\. Hvor stor \\(0\\-100\\)?",
                                                  "3\\. Hvad skete der?"]
    chips.unselect(3).run()  # a tap on a chosen one drops it; the others keep their order
    assert not at.exception
    assert at.session_state["got"] == [2, 1]
    assert list(at.selectbox(key="qs_add").options) == ["Hvor stor (0-100)?"]
