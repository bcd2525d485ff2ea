"""Screens of the reader app: the main screen (the three panes), dialogs and views."""
