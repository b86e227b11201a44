"""Themes: selections, word and code statistics, quotes, sentiment, timelines, charts, report, suggestions."""
