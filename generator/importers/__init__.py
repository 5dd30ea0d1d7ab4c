"""Importers turn outside data (spreadsheets of honour lists) into content files.

The pipeline never imports them: what they write goes through the same validation as files
written by hand.
"""
