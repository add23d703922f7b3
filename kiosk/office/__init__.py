"""The office link (issue 14): kiosks send sealed enquiries to the clinic's PostgreSQL.

Plain Python, no Qt. Only ``link`` is light (no psycopg): it reads the
enrolment file, so a kiosk that is not enrolled never imports the driver.
"""
