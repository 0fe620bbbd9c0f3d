"""The shared settings store and the settings file: bad values drop alone, saves never lose values."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest

from companion.core.settings import Settings, SettingsStore, load_settings, read_settings, save_settings

GOOD = Settings(
    profile="picky",
    ignored_rules=["library.jargon.leverage"],
    ignored_phrases=["*\tsynergies"],
    personal_words=["Humanize"],
    debounce_ms=400,
)


def test_an_invalid_value_drops_only_itself(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "settings.toml"
    save_settings(GOOD, path)
    text = path.read_text(encoding="utf-8").replace('grammar = "auto"', 'grammar = "sometimes"')
    path.write_text(text.replace("debounce_ms = 400", "debounce_ms = 99999"), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="companion.core.settings"):
        loaded = load_settings(path)
    assert loaded.grammar == "auto" and loaded.debounce_ms == 250  # the defaults, for these two only
    assert loaded.profile == "picky"
    assert loaded.ignored_rules == GOOD.ignored_rules and loaded.ignored_phrases == GOOD.ignored_phrases
    assert loaded.personal_words == ["Humanize"]
    logged = caplog.text
    assert "grammar" in logged and "'sometimes'" in logged
    assert "debounce_ms" in logged and "99999" in logged


def test_wrong_types_and_list_items_drop_alone(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        'profile = "essential"\nsemantic = "yes"\nignored_rules = ["a.b", 3]\nsemantic_threshold = 1\n'
        'ignored_phrases = ["*\\tdelve"]\n',
        encoding="utf-8",
    )
    loaded = load_settings(path)
    assert loaded.profile == "essential" and loaded.ignored_phrases == ["*\tdelve"]
    assert loaded.semantic is True and loaded.ignored_rules == [] and loaded.semantic_threshold == 0.68


def test_a_save_after_a_bad_value_keeps_every_good_value(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    save_settings(GOOD, path)
    path.write_text(
        path.read_text(encoding="utf-8") + 'future_option = {mode = "x", n = 2}\n', encoding="utf-8"
    )
    path.write_text(path.read_text(encoding="utf-8").replace('"picky"', '"extreme"'), encoding="utf-8")
    store = SettingsStore.load(path)
    store.update(theme="dark")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["theme"] == "dark" and data["profile"] == "recommended"
    assert data["ignored_rules"] == ["library.jargon.leverage"] and data["ignored_phrases"] == [
        "*\tsynergies"
    ]
    assert data["personal_words"] == ["Humanize"] and data["debounce_ms"] == 400
    assert data["future_option"] == {"mode": "x", "n": 2}  # a newer version's key survives


def test_an_unreadable_file_is_kept_aside_before_the_first_save(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('ignored_rules = ["library.x"\nprofile = ', encoding="utf-8")
    found = read_settings(path)
    assert not found.readable and found.settings == Settings()
    store = SettingsStore.load(path)
    store.update(profile="essential")
    backups = list(tmp_path.glob("settings.toml.unreadable-*"))
    assert len(backups) == 1 and "library.x" in backups[0].read_text(encoding="utf-8")
    assert load_settings(path).profile == "essential"


def test_subscribers_hear_every_change_and_nobody_holds_a_stale_copy(tmp_path: Path) -> None:
    store = SettingsStore(Settings(), tmp_path / "settings.toml")
    heard: list[tuple[str, str]] = []
    unsubscribe = store.subscribe(lambda old, new: heard.append((old.profile, new.profile)))
    snapshot = store.current
    snapshot.ignored_rules.append("mutated.copy")  # a copy: the store does not change
    assert store.current.ignored_rules == []
    store.update(profile="picky")
    store.update(ignored_rules=["a.rule"])
    assert heard == [("recommended", "picky"), ("picky", "picky")]
    assert load_settings(tmp_path / "settings.toml").profile == "picky"
    assert load_settings(tmp_path / "settings.toml").ignored_rules == ["a.rule"]
    unsubscribe()
    store.update(profile="essential")
    assert len(heard) == 2


def test_an_invalid_update_changes_nothing(tmp_path: Path) -> None:
    store = SettingsStore(GOOD, tmp_path / "settings.toml")
    heard: list[Settings] = []
    store.subscribe(lambda old, new: heard.append(new))
    with pytest.raises(ValueError, match="grammar"):
        store.update(grammar="sometimes")
    assert store.current == GOOD and heard == []
    assert not (tmp_path / "settings.toml").exists()


def test_a_failing_subscriber_does_not_stop_the_others(tmp_path: Path) -> None:
    store = SettingsStore(Settings(), tmp_path / "settings.toml")
    heard: list[str] = []

    def broken(old: Settings, new: Settings) -> None:
        raise RuntimeError("boom")

    store.subscribe(broken)
    store.subscribe(lambda old, new: heard.append(new.theme))
    store.update(theme="dark")
    assert heard == ["dark"]
