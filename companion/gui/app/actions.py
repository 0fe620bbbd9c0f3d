"""The main window's menus, actions and shortcuts."""

from __future__ import annotations

import os
from functools import partial
from typing import cast

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from companion.gui.app.host import MenuHost
from companion.gui.app.state import load_theme_choice, save_theme_choice
from companion.gui.app.tray import CHECK_CLIPBOARD_KEYS
from companion.gui.clean import commands
from companion.gui.theme import THEME_CHOICES

SK = QKeySequence.StandardKey


def build_menus(w: MenuHost) -> dict[str, QAction]:
    """Create the menu bar of ``w``; returns its actions by name (tests trigger them)."""
    actions: dict[str, QAction] = {}
    ed = w.editor

    def add(menu: QMenu, name: str, text: str, slot, shortcut=None) -> QAction:
        act = QAction(text, cast(QWidget, w))
        act.setObjectName(name)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                act.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu.addAction(act)
        actions[name] = act
        return act

    bar = w.menuBar()
    file = bar.addMenu("&File")
    add(file, "new", "&New", w.new_document, SK.New)
    add(file, "open", "&Open…", w.open_dialog, SK.Open)
    recent = file.addMenu("Open &recent")
    recent.setObjectName("recentMenu")
    recent.aboutToShow.connect(partial(_fill_recent, w, recent))
    file.addSeparator()
    add(file, "save", "&Save", w.save, SK.Save)
    add(file, "save_as", "Save &as…", w.save_as, SK.SaveAs)
    add(file, "reload", "Re&load from disk", w.files.reload)
    add(file, "reopen_encoding", "Reopen with &encoding…", w.files.reopen_with_encoding)
    file.addSeparator()
    add(file, "quit", "&Quit", w.close, SK.Quit)

    edit = bar.addMenu("&Edit")
    add(edit, "undo", "&Undo", ed.undo, SK.Undo)
    add(edit, "redo", "&Redo", ed.redo, SK.Redo)
    ed.undoAvailable.connect(actions["undo"].setEnabled)
    ed.redoAvailable.connect(actions["redo"].setEnabled)
    actions["undo"].setEnabled(False)
    actions["redo"].setEnabled(False)
    edit.addSeparator()
    add(edit, "cut", "Cu&t", ed.cut, SK.Cut)
    add(edit, "copy", "&Copy", ed.copy, SK.Copy)
    add(edit, "paste", "&Paste", ed.paste, SK.Paste)
    add(edit, "select_all", "Select &all", ed.selectAll, SK.SelectAll)
    edit.addSeparator()
    add(edit, "find", "&Find…", w.find_bar.open, SK.Find)
    add(edit, "replace", "Find and &replace…", partial(w.find_bar.open, True), "Ctrl+H")
    add(edit, "find_next", "Find next", w.find_bar.find_next, SK.FindNext)
    add(edit, "find_previous", "Find previous", w.find_bar.find_previous, SK.FindPrevious)

    check = bar.addMenu("&Check")
    add(check, "next_finding", "&Next finding", ed.next_finding, "F8")
    add(check, "previous_finding", "&Previous finding", ed.previous_finding, "Shift+F8")
    add(check, "suggestions", "&Suggestions at the caret", ed.open_menu_at_caret, "Ctrl+.")
    check.addSeparator()
    add(check, "recheck", "&Check the whole document again", ed.scheduler.recheck_all, "Ctrl+Shift+R")
    add(check, "clean", "C&lean…", partial(commands.clean_document, w), "Ctrl+Shift+L")
    add(check, "clean_folder", "Clean a &folder…", partial(commands.clean_folder, w))
    add(check, "settings", "Se&ttings…", w.open_settings, "Ctrl+,")

    view = bar.addMenu("&View")
    add(view, "zoom_in", "Zoom &in", partial(w.zoom, 1), [SK.ZoomIn, "Ctrl+="])
    add(view, "zoom_out", "Zoom &out", partial(w.zoom, -1), SK.ZoomOut)
    add(view, "zoom_reset", "&Reset zoom", partial(w.zoom, 0), "Ctrl+0")
    view.addSeparator()
    _add_theme_menu(w, view, actions)
    view.addSeparator()
    panel = add(view, "toggle_panel", "Side &panel", lambda on: w.panel.setVisible(on), "F9")
    panel.setCheckable(True)
    panel.setChecked(True)
    add(view, "focus_findings", "Go to the &findings list", partial(_focus_findings, w, panel), "F6")
    view.addSeparator()
    companion = add(view, "toggle_companion", "&Companion window", w.companion.toggle, "Ctrl+Shift+M")
    companion.setCheckable(True)
    add(view, "check_clipboard", "Check clip&board", w.companion.check_clipboard, CHECK_CLIPBOARD_KEYS)

    help_menu = bar.addMenu("&Help")
    add(help_menu, "about", "&About Humanize", partial(_about, w))
    return actions


_THEME_LABELS = {"system": "&System", "light": "&Light", "dark": "&Dark"}


def _add_theme_menu(w: MenuHost, view: QMenu, actions: dict[str, QAction]) -> None:
    """View › Theme: System, Light, Dark; the choice is window state, applied at once."""
    menu = view.addMenu("&Theme")
    menu.setObjectName("themeMenu")
    group = QActionGroup(cast(QWidget, w))
    group.setExclusive(True)
    current = load_theme_choice(w.settings.theme)
    for choice in THEME_CHOICES:
        act = QAction(_THEME_LABELS[choice], group)
        act.setObjectName(f"theme_{choice}")
        act.setCheckable(True)
        act.setChecked(choice == current)
        act.triggered.connect(partial(_set_theme, w, choice))
        menu.addAction(act)
        actions[f"theme_{choice}"] = act


def _set_theme(w: MenuHost, choice: str) -> None:
    save_theme_choice(choice)
    w.apply_theme()


def _focus_findings(w: MenuHost, toggle: QAction) -> None:
    toggle.setChecked(True)
    w.panel.focus_findings()


def _fill_recent(w: MenuHost, menu: QMenu) -> None:
    menu.clear()
    for path in w.recent.files:
        act = menu.addAction(os.path.basename(path))
        act.setToolTip(path)
        act.setEnabled(os.path.exists(path))
        act.triggered.connect(partial(w.open_file, path))
    if not w.recent.files:
        menu.addAction("No recent files").setEnabled(False)
    else:
        menu.addSeparator()
        menu.addAction("Clear the list").triggered.connect(w.recent.clear)


def _about(w: MenuHost) -> None:
    QMessageBox.about(
        cast(QWidget, w),
        "About Humanize",
        "<b>Humanize</b><p>A writing companion that underlines robotic phrasing as you type "
        "and offers natural alternatives.</p>"
        "<p>Underline colours: purple robotic phrasing, orange wordy or cliché, blue style, "
        "green grammar, red spelling; tinted sentences are hard to read.</p>",
    )
