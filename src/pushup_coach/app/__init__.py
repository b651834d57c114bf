"""The application layer: the use cases the command line and the web app both call.

Plain Python (no click, no web framework): each function takes a storage ``Store`` and a
profile name, applies the project's rules through the coach and storage modules, and
returns data; the faces only ask (prompts, forms) and show (terminal, pages, JSON).

- :mod:`.analyse`: analyse a path with progress and a landmark cache keyed by content and settings;
- :mod:`.coaching`: screening, clearance, baseline, what next, the week's plan;
- :mod:`.sessions`: save an analysis, log a session, check-in, correct;
- :mod:`.data`: consent, export, import, erasure.
"""
