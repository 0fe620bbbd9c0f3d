"""One settings object shared by every window; the dialog's ignore and dictionary pages;
LanguageTool installed from Settings takes effect without a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from companion.core.checker import Checker
from companion.core.engine import EngineOptions, build_analyzers, filters_from
from companion.core.library.model import Library
from companion.core.settings import Settings, SettingsStore, load_settings, personal_dictionary_path
from companion.gui.editor.suggestions import find_action
from tests.gui.conftest import FAST, underline_ranges, wait_checked

SENTENCE = "In today's fast-paced world, we must leverage synergies."


def underlined(window) -> set[str]:
    return {text for _, _, text in underline_ranges(window.editor)}


def test_main_and_companion_share_one_settings_object(qtbot, make_window) -> None:
    w = make_window(settings=Settings(debounce_ms=0))
    companion = w.companion.show()
    assert companion.settings_store is w.settings_store
    dialog = w.open_settings()
    dialog.profile.setCurrentIndex(dialog.profile.findData("essential"))
    dialog.accept()
    assert companion.settings.profile == "essential"
    companion.set_watch(True)  # the companion saves after the main window changed the profile
    saved = load_settings()
    assert saved.profile == "essential" and saved.clipboard_watch is True
    w.ignore_rule("library.jargon.leverage")  # and the main window saves after the companion
    saved = load_settings()
    assert saved.clipboard_watch is True and saved.ignored_rules == ["library.jargon.leverage"]
    assert saved.profile == "essential"
    companion.set_watch(False)
    assert load_settings().ignored_rules == ["library.jargon.leverage"]


def test_companion_follows_a_change_made_in_the_main_window(qtbot, make_window, bundled_library) -> None:
    def factory(settings: Settings) -> Checker:  # the settings' filters, unlike the shared fast checker
        return Checker(build_analyzers(settings, FAST, bundled_library), filters_from(settings))

    w = make_window(settings=Settings(debounce_ms=0), factory=factory)
    companion = w.companion.show()
    w.settings_store.update(clipboard_watch=True)
    assert companion.watch_box.isChecked() and companion.watcher.enabled
    with qtbot.waitSignal(companion.reportReady, timeout=10000) as first:
        companion.set_text(SENTENCE)
    assert any(f.rule == "library.jargon.leverage" for f in first.args[0].findings)
    with qtbot.waitSignal(companion.reportReady, timeout=10000) as second:
        w.ignore_rule("library.jargon.leverage")  # the companion's checker is rebuilt and re-checks
    assert not any(f.rule == "library.jargon.leverage" for f in second.args[0].findings)


def test_removing_an_ignored_rule_and_phrase_brings_the_findings_back(qtbot, make_window) -> None:
    store = SettingsStore(Settings(debounce_ms=0))
    w = make_window(settings=store)
    w.editor.setPlainText(SENTENCE)
    wait_checked(qtbot, w)
    for word, action in (("leverage", "ignore-rule"), ("synergies", "ignore-phrase")):
        ref = w.editor.finding_at(SENTENCE.index(word) + 1)
        find_action(w.editor.menu_for(ref), action).trigger()
    wait_checked(qtbot, w)
    assert not underlined(w) & {"leverage", "synergies"}
    phrase = load_settings().ignored_phrases[0]

    dialog = w.open_settings()
    assert dialog.rules_page.values() == ["library.jargon.leverage"]
    assert dialog.phrases_page.values() == [phrase]
    assert dialog.rules_page.select("library.jargon.leverage")
    dialog.rules_page.remove_selected()
    assert dialog.phrases_page.select(phrase)
    dialog.phrases_page.remove_selected()
    dialog.accept()
    wait_checked(qtbot, w)
    assert {"leverage", "synergies"} <= underlined(w)
    saved = load_settings()
    assert saved.ignored_rules == [] and saved.ignored_phrases == []


def test_removing_a_dictionary_word_flags_it_again(qtbot, make_window) -> None:
    def with_spelling(settings: Settings) -> Checker:
        options = EngineOptions(semantic=False, grammar="off")
        return Checker(build_analyzers(settings, options, Library(())), filters_from(settings))

    w = make_window(settings=Settings(debounce_ms=0, personal_words=["Blorft"]), factory=with_spelling)
    text = "We zorblatt the mail and blorft the rest."
    w.editor.setPlainText(text)
    wait_checked(qtbot, w)
    ref = w.editor.finding_at(text.index("zorblatt") + 1)
    find_action(w.editor.menu_for(ref), "add-to-dictionary").trigger()
    wait_checked(qtbot, w)
    assert not underlined(w) & {"zorblatt", "blorft"}

    dialog = w.open_settings()
    assert dialog.dictionary_page.values() == ["Blorft", "zorblatt"]
    assert dialog.dictionary_page.select("zorblatt") and dialog.dictionary_page.list.selectedItems()
    dialog.dictionary_page.list.selectAll()
    dialog.dictionary_page.remove_selected()
    assert dialog.dictionary_page.values() == []
    dialog.accept()
    qtbot.waitUntil(lambda: {"zorblatt", "blorft"} <= underlined(w), timeout=10000)
    assert "zorblatt" not in personal_dictionary_path().read_text(encoding="utf-8").split()
    assert load_settings().personal_words == []


@pytest.mark.parametrize("mode", ["off", "local"])
def test_installing_languagetool_turns_grammar_on_without_a_restart(
    qtbot, make_window, monkeypatch, tmp_path: Path, mode: str
) -> None:
    from companion.core.grammar import GrammarAnalyzer
    from companion.core.grammar import analyzer as grammar_analyzer
    from companion.core.grammar.discover import SERVER_JAR, JavaCheck, default_install_dir

    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "no-ltp"))
    monkeypatch.setattr(grammar_analyzer, "find_java", lambda: JavaCheck("/usr/bin/java", 21))
    monkeypatch.setattr(GrammarAnalyzer, "start", lambda self: None)  # no java process in a test
    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: infos.append(text))

    def fake_install(dest=None, progress=None, **_kwargs) -> Path:
        folder = (dest or default_install_dir()) / "LanguageTool-6.6"
        folder.mkdir(parents=True)
        (folder / SERVER_JAR).write_bytes(b"not really a jar")
        if progress is not None:
            progress(1, 1)
        return folder

    monkeypatch.setattr("companion.core.grammar.install_languagetool", fake_install)

    def factory(settings: Settings) -> Checker:
        return Checker([GrammarAnalyzer(settings.grammar)], filters_from(settings))

    w = make_window(settings=Settings(debounce_ms=0, grammar=mode), factory=factory)
    qtbot.waitUntil(lambda: "grammar" in w.loader.statuses(), timeout=5000)
    qtbot.waitUntil(lambda: w.loader.statuses()["grammar"].mode != "loading", timeout=5000)
    assert not w.loader.statuses()["grammar"].available
    if mode == "local":
        assert "LanguageTool is not installed" in w.status_label.text()

    dialog = w.open_settings()
    downloader = dialog.download_languagetool(ask=False)
    with qtbot.waitSignal(downloader.done, timeout=10000):
        pass
    assert infos and "installed" in infos[0]
    qtbot.waitUntil(lambda: w.loader.statuses().get("grammar", None) is not None, timeout=5000)
    qtbot.waitUntil(lambda: w.loader.statuses()["grammar"].available, timeout=10000)
    assert w.settings.grammar == ("auto" if mode == "off" else "local")
    assert dialog.grammar.currentData() == w.settings.grammar  # OK keeps grammar on
    qtbot.waitUntil(lambda: w.status_label.text() == "Ready", timeout=5000)
    dialog.accept()
    assert load_settings().grammar == w.settings.grammar
