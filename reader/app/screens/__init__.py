"""Screens of the reader app: help and index problems."""
