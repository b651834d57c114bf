"""SessionReport -> people-facing outputs: an HTML page with plots, and an annotated video.

``pushup_coach.report.html`` renders the page, ``pushup_coach.report.video`` writes the overlay
video; ``plots``, ``tables`` and ``glossary`` are their parts.
"""
