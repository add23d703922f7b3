"""What the office app says, in the clinic's language (English), like the staff
panel's words; nothing here is shown to a patient."""

from __future__ import annotations

APP_TITLE = "Kiosk office"
TITLE_NEW = "Enquiries ({new} new) — Kiosk office"
SIGN_IN_HEADING = "Sign in to read the enquiries"
STAFF_NAME = "Staff name"
PIN = "PIN"
SIGN_IN = "Sign in"
SIGN_OUT = "Sign out"
NEED_BOTH = "Type your staff name and your PIN."
DB_UNREACHABLE = "The office database cannot be reached: {error}"
COLUMNS = ("Name", "Contact", "Topic", "Kiosk", "Received", "Status")
NOTHING_CHOSEN = "Choose an enquiry to read it."
CONTACTED = "Contacted"
NO_ANSWER = "No answer"
NOT_INTERESTED = "Not interested"
MARKED = "Marked {status}."
MARKED_BY_OTHER = "{by} marked this {status} first; nothing was changed."
CANNOT_OPEN = "(cannot be opened)"
STATUS_WORDS = {
    "new": "New",
    "exported": "Exported",
    "contacted": CONTACTED,
    "no_answer": NO_ANSWER,
    "not_interested": NOT_INTERESTED,
}
#: The detail pane's fields, in order: (key in the sealed fields, label).
DETAIL_FIELDS = (
    ("name", "Name"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("method", "How to contact"),
    ("best_time", "Best time"),
    ("message", "Message"),
)

# -- the inbox's filters, search, export and retention (kiosk/ui/office/inbox.py) --
STATUS = "Status"
KIOSK = "Kiosk"
TOPIC = "Topic"
SINCE = "From"
UNTIL = "To"
ALL_STATUSES = "All statuses"
ALL_KIOSKS = "All kiosks"
ALL_TOPICS = "All topics"
ANY_DAY = "Any day"
SEARCH = "Search name or phone"
STOP = "Stop"
SHOWN = "{count:,} enquiries"
SEARCHING = "Searching: {looked:,} of {total:,} looked at, {found:,} found"
SEARCHED = "{found:,} found in {looked:,}"
SEARCH_STOPPED = "Search stopped: {found:,} found in the {looked:,} looked at"
SEARCH_FAILED = "The search stopped: {error}"
EXPORT = "Export…"
EXPORT_TITLE = "Export the enquiries shown"
EXPORT_FILTER = "CSV file (*.csv);;Excel workbook (*.xlsx)"
EXPORTING = "Exporting…"
EXPORTED = "{count:,} enquiries exported to {path}; {marked:,} marked Exported."
EXPORT_SKIPPED = " {skipped:,} could not be opened with the clinic key and were left out."
EXPORT_FAILED = "Nothing was exported: {error}"
OLDER_THAN = "Delete after (days)"
PURGE = "Delete old…"
PURGE_TITLE = "Delete old enquiries"
PURGE_ASK = (
    "Delete {count:,} enquiries whose status last changed more than {days:,} days ago? "
    "New ones are never deleted. This cannot be undone."
)
PURGE_NONE = "No enquiry is old enough to delete (older than {days:,} days, and not new)."
PURGED = "{count:,} old enquiries deleted."
