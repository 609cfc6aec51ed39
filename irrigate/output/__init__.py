"""Outputs: reports, charts, translations and the typical-field series behind calendars."""
