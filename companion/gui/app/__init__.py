"""The main window and what hangs off it: menus, settings, window state, the tray."""
