"""Helpers every app may use and that know nothing of the domain (healthchecks keeps the same in `hc/lib/`):
the client address behind trusted proxies, values kept per process, the project's base forms and the
streamed XLSX sheet. The bottom layer of docs/architecture.md: nothing here imports an app.
"""
