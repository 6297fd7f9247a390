"""Renderers: all spreadsheet styling in excel.py, all Jinja2 HTML in html.py."""
