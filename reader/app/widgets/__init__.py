"""Widgets of the reader app: search pane, article viewer, entity panel, status lines."""
