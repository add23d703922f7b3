"""The office desktop app (issue 14): ``kiosk office app --db URL`` on the front-desk PC.

A normal resizable window, keyboard and mouse; it reads the clinic's PostgreSQL
through ``kiosk.office`` and never imports the patient's or the staff panel's
screens.
"""
