"""Every text of the staff screens (PIN pad and staff panel), in English.

Kept apart from ``kiosk.ui.strings``, the patients' catalogue: the language
switch is the patient's and resets when they leave, while staff read the
clinic's own language. Nothing here is shown to a patient.
"""

from __future__ import annotations

# -- the PIN pad -------------------------------------------------------------
WHO_TITLE = "Staff sign-in"
WHO_PROMPT = "Who are you?"
# The command in non-breaking spaces, so it is never split across two lines.
NO_ACCOUNTS = (
    "There are no staff accounts yet. To add the first one, open a terminal on the "
    "kiosk machine and type kiosk\u00a0staff\u00a0add\u00a0NAME (it asks for the "
    "recovery code from the kiosk's first run)."
)
PIN_TITLE = "PIN for {name}"
PIN_PROMPT = "Type your PIN (6 to 12 digits)."
PIN_DOTS_ACCESSIBLE = "{count} digits typed"
PIN_DOTS_NONE = "No digits typed"
DELETE = "Delete"
CANCEL = "Cancel"
CLOSE = "Close"
SIGN_IN = "Sign in"
OTHER_NAME = "Other name"
CHECKING = "Checking…"
WRONG_PIN_WAIT = "Wrong PIN. Try again in {wait}."
WRONG_PIN_NOW = "Wrong PIN. Please try again."
TOO_SOON = "Please wait. You can try again in {wait}."
LOCKED = "Too many wrong PINs. Staff sign-in is locked for {wait}."
LOCKED_OVER = "Staff sign-in is open again. Type your PIN."
SIGN_IN_FAILED = "Sign-in failed: {reason}"

# -- durations, in words ----------------------------------------------------
SECONDS = "{n} seconds"
ONE_SECOND = "1 second"
MIN_SEC = "{m} min {s} s"
MINUTES = "{m} min"

# -- the panel: frame ---------------------------------------------------------
PANEL_TITLE = "Staff: {name}"
LOCK = "Lock"
TAB_ENQUIRIES = "Enquiries"
TAB_EXPORT = "Export"
TAB_SUMMARY = "What patients read"
TAB_LOG = "Log"
TAB_KIOSK = "Kiosk"

# -- the enquiries list ------------------------------------------------------
COUNT_NEW = "New: {n}"
COUNT_EXPORTED = "Exported: {n}"
COUNT_CONTACTED = "Contacted: {n}"
NO_ENQUIRIES = "No enquiries yet."
STORE_UNAVAILABLE = (
    "The enquiries cannot be opened right now. The kiosk's log says why; "
    "ask whoever looks after the kiosk."
)
SHOW_MORE = "Show {n} more"
SHOWING = "Showing the newest {shown} of {total}."
ROW = "{received} · {topic}\n{status} · {name}"
NOT_OPENED = "(could not be opened)"
STATUS_NAMES = {"new": "New", "exported": "Exported", "contacted": "Contacted"}
TOPIC_GENERAL = "General question"

# -- one enquiry -------------------------------------------------------------
BACK_TO_LIST = "Back to the list"
MARK_CONTACTED = "Mark contacted"
MARKED_CONTACTED = "Marked as contacted."
DETAIL_TITLE = "Enquiry {id}"
FIELD_REFERENCE = "Reference"
FIELD_RECEIVED = "Received"
FIELD_TOPIC = "Topic"
FIELD_NAME = "Name"
FIELD_PHONE = "Phone"
FIELD_EMAIL = "Email"
FIELD_METHOD = "Contact by"
FIELD_BEST_TIME = "Best time"
FIELD_MESSAGE = "Message"
FIELD_STATUS = "Status"
EMPTY_FIELD = "(none)"
METHOD_NAMES = {"call": "Phone call", "text": "Text message", "email": "Email"}
BEST_TIME_NAMES = {
    "morning": "Morning",
    "afternoon": "Afternoon",
    "evening": "Evening",
    "any": "Any time",
}
CANNOT_OPEN = "This enquiry could not be opened. {reason}"
GONE = "This enquiry is no longer in the database."

# -- export ------------------------------------------------------------------
EXPORT_WHICH = "Which enquiries"
EXPORT_NEW = "New only ({n})"
EXPORT_ALL = "All ({n})"
EXPORT_FORMAT = "File type"
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel (XLSX)"}
EXPORT_WHERE = "Where to"
EXPORT_FOLDER = "Export folder"
EXPORT_GOES_TO = "The file goes to: {path}"
EXPORT_DRIVE = "USB drive {label} ({free} free)"
NO_DRIVES = "No USB drive found. Plug one in and tap Look again."
LOOK_AGAIN = "Look again"
EXPORT_START = "Export now"
EXPORTING = "Exporting… {done} of {total}"
EXPORT_DONE = "Exported {count} enquiries to:\n{path}"
EXPORT_DONE_ONE = "Exported 1 enquiry to:\n{path}"
EXPORT_NOTHING = "There are no new enquiries to export."
EXPORT_FAILED = "Nothing was exported. {reason}"
EXPORT_PROGRESS_ACCESSIBLE = "Export progress"

# -- delete old ones --------------------------------------------------------
PURGE_TITLE = "Delete old enquiries"
PURGE_EXPLAIN = (
    "Exported or contacted enquiries older than {days} days can be deleted. "
    "New ones are never deleted."
)
PURGE_NONE = "There are no exported or contacted enquiries older than {days} days."
PURGE_CONFIRM = "Delete {n} enquiries older than {days} days? This cannot be undone."
PURGE_CONFIRM_ONE = "Delete 1 enquiry older than {days} days? This cannot be undone."
PURGE_START = "Delete old enquiries…"
PURGE_YES = "Delete them"
PURGE_NO = "Keep them"
PURGE_DONE = "Deleted {n} enquiries."
PURGE_DONE_ONE = "Deleted 1 enquiry."
# Old export files go with old enquiries.
FILES_EXPLAIN = "Export files older than {days} days in the export folder are deleted too."
FILES_CONFIRM = (
    "Delete {n} export files older than {days} days from the export folder? This cannot be undone."
)
FILES_CONFIRM_ONE = (
    "Delete 1 export file older than {days} days from the export folder? This cannot be undone."
)
FILES_TOO = "The {n} export files older than {days} days in the export folder go too."
FILES_TOO_ONE = "The 1 export file older than {days} days in the export folder goes too."
FILES_DONE = "Deleted {n} old export files."
FILES_DONE_ONE = "Deleted 1 old export file."
PURGE_FAILED = "Nothing was deleted. {reason}"

# -- the kiosk ---------------------------------------------------------------
RELOAD = "Reload content now"
RELOAD_APPLIED = "The newest content and settings are on screen."
RELOAD_PENDING = "The new content is ready; it appears when you lock."
RELOAD_UNCHANGED = "Nothing has changed since the content was last read."
RELOAD_REFUSED = "The new content was NOT applied; the last good content stays on screen:"
RELOAD_UNAVAILABLE = "Live reload is not running yet. Try again in a moment."
CONTENT_BANNER = "The content or settings have problems ({n}): see the Kiosk tab."
CONTENT_PROBLEMS = "Problems found in the content or settings:"
NO_CONTENT_PROBLEMS = "No problems found in the content or settings."
EXIT = "Leave kiosk mode"
EXIT_CONFIRM = (
    "Leave kiosk mode? The kiosk closes and the desktop shows. "
    "Depending on how it is set up, it may start again by itself."
)
EXIT_YES = "Leave kiosk mode"
EXIT_NO = "Stay"

# -- what patients read ---------------------------------------------------------
WEEKLY_TITLE = "Enquiries per week"
WEEK_OF = "{date:%d %b}"
PAGES_TITLE = "Pages opened (all time)"
NO_PAGE_VIEWS = "No page has been opened yet."
NO_STATS = "Page views are not being counted (the counter could not be opened)."
BAR_ACCESSIBLE = "{label}: {value}"

# -- the log ---------------------------------------------------------------------
LOG_TITLE = "Latest staff actions"
LOG_EMPTY = "The log is empty."
LOG_UNAVAILABLE = "The log could not be read. {reason}"
LOG_ROW = "{time} · {actor} · {action}"
