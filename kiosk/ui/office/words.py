"""What the office app says, in the clinic's language (English), like the staff
panel's words; nothing here is shown to a patient."""

from __future__ import annotations

APP_TITLE = "Clinic office"
TITLE_NEW = "Inbox ({new} new) - Clinic office"
SIGN_IN_HEADING = "Sign in to read the enquiries"
STAFF_NAME = "Staff name"
PIN = "PIN"
SIGN_IN = "Sign in"
SIGN_OUT = "Sign out"
NEED_BOTH = "Type your staff name and your PIN."
DB_UNREACHABLE = "The office database cannot be reached. {error}"
# What went wrong with the office database (kiosk.office.trouble), said for the
# front desk; the driver's own first line follows in DB_DETAIL.
DB_TROUBLE = {
    "unknown-name": (
        "This PC cannot find the office server by its name: check the database address "
        "the office app is started with, and the network."
    ),
    "no-network": "This PC has no network that reaches the office server.",
    "timeout": "The office server did not answer in time: it may be busy, or the network slow.",
    "not-answering": (
        "The office server does not answer: it may be switched off, or its database "
        "(PostgreSQL) not running."
    ),
    "login": (
        "The office server refused the office app's login: the user name or password in "
        "its database address is wrong, or was changed."
    ),
    "no-database": (
        "The office server has no database of that name: check the database address the "
        "office app is started with."
    ),
    "not-set-up": (
        "The office database is not set up for this version: run 'kiosk office init' on it again."
    ),
    "permission": "The office database did not allow it (permission denied).",
    "full": "The office server's disk is full.",
    "untrusted": (
        "The office server could not be trusted: its certificate is not the clinic's, or "
        "the address leads to another server."
    ),
    "other": "The office database reported a problem.",
}
DB_DETAIL = "If it goes on, tell whoever looks after the office server (it said: {detail})."
CONNECTION_LOST = (
    "The connection to the office database was lost, so the list could not be kept up "
    "to date. Sign in again once it is back; if it stays away, tell whoever looks "
    "after the office server."
)
# -- signing in: the tablet's sentences (kiosk.staff.accounts), the wait in words
CHECKING = "Checking…"
TOO_MANY = "Too many wrong PINs: sign-in is locked."
TOO_SOON = "A wrong PIN was typed a moment ago, here or on another office PC."
WAIT = "{reason} Try again in {left}."
TRY_NOW = "{reason} You can try again now."
AUTO_LOCKED = "Locked after {idle} without use: sign in again."
CHIME = "Chime for new enquiries"
COLUMNS = ("Name", "Contact", "Topic", "Kiosk", "Received", "Status")
NOTHING_CHOSEN = "Choose an enquiry to read it."
CONTACTED = "Contacted"
NO_ANSWER = "No answer"
NOT_INTERESTED = "Not interested"
NOTE = "Note (optional)"
LATEST_NOTE = "Latest note"
NO_NOTE = "None yet"
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

# -- crisis alerts (issue 14 point 5) --
ALERT_LINE = "Crisis: a patient at kiosk {kiosk} asked for a staff member {ago}."
ACKNOWLEDGE = "Acknowledge"
ACKNOWLEDGE_FAILED = "The alert could not be acknowledged. {error}"
JUST_NOW = "just now"
MINUTES_AGO = "{n} min ago"
HOURS_AGO = "{n} h {m} min ago"

# -- the kiosks view (issue 14 points 3 and 4) --
ENQUIRIES_VIEW = "Enquiries"
KIOSKS_VIEW = "Kiosks"
KIOSKS_HEADING = "Kiosks"
KIOSK_COLUMNS = (
    "Kiosk",
    "State",
    "Why",
    "Version",
    "Content",
    "Outbox",
    "Free disk",
    "Last touch",
    "Last heartbeat",
)
HEALTH_WORDS = {"green": "Green", "amber": "Amber", "red": "Red"}
# -- "Show me this kiosk's screen" (kiosk/ui/office/look.py) --
LOOK = "Show me this kiosk's screen"
LOOK_COLUMN = "Screen"
LOOK_TITLE = "Kiosk {kiosk}: its screen"
LOOK_WAITING = "Asking kiosk {kiosk} for its screen… ({left} s left)"
LOOK_ANSWER = "{screen}, at {at}"
LOOK_NO_PICTURE = "No picture came: the kiosk sends none while a patient types or staff use it."
LOOK_NO_ANSWER = (
    "Kiosk {kiosk} did not answer within {seconds} s: it may be off, or away from the network."
)
LOOK_FAILED = "The kiosk's screen could not be asked for. {error}"
LOOK_PICTURE = "The kiosk's screen, form fields blanked"
CANCEL = "Cancel"
CLOSE = "Close"
PAGE_VIEWS_HEADING = "Page views across kiosks, last {days} days"
PAGE_VIEW_COLUMNS = ("Page", "Views")
NOT_KNOWN = "—"
KIOSKS_UNREADABLE = "The kiosks could not be read. {error}"
RECEIPTS_HEADING = "What each kiosk sent, checked (numbers and signatures)"
RECEIPTS_CHECKING = "Checking what each kiosk sent…"
RECEIPTS_NONE = "No kiosk is enrolled yet."
RECEIPTS_FAILED = "What the kiosks sent could not be checked: {error}"
SIGN_IN_TO_ACKNOWLEDGE = "Sign in below to acknowledge: the kiosk tells the patient once you have."

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
SHOWN = "{enquiries}"
SEARCHING = "Searching: {looked:,} of {total:,} looked at, {found:,} found"
SEARCHED = "{found:,} found in {looked:,}"
SEARCH_STOPPED = "Search stopped: {found:,} found in the {looked:,} looked at"
SEARCH_FAILED = "The search stopped: {error}"
EXPORT = "Export…"
EXPORT_TITLE = "Export the enquiries shown"
EXPORT_FILTER = "CSV file (*.csv);;Excel workbook (*.xlsx)"
EXPORTING = "Exporting…"
EXPORTED = "{enquiries} exported to {path}; {marked:,} marked Exported."
EXPORT_SKIPPED = " {skipped:,} could not be opened with the clinic key and were left out."
EXPORT_FAILED = "Nothing was exported: {error}"
OLDER_THAN = "Delete after (days)"
PURGE = "Delete old…"
PURGE_TITLE = "Delete old enquiries"
PURGE_ASK = (
    "Delete {enquiries} whose status last changed more than {days:,} days ago? "
    "New ones are never deleted. This cannot be undone."
)
PURGE_NONE = "No enquiry is old enough to delete (older than {days:,} days, and not new)."
PURGED = "{enquiries} deleted."

# -- the Revisions view: publishing content and settings (issue 16) --
REVISIONS_VIEW = "Revisions"
REVISIONS_HEADING = "Revisions published"
REVISION_COLUMNS = ("Revision", "Note", "Published by", "When", "Sent to", "Size")
RUNS_HEADING = "What each kiosk runs"
RUNS_COLUMNS = ("Kiosk", "Group", "Runs", "Latest report", "Why", "When")
STATE_WORDS = {"applied": "Applied", "refused": "Refused", "rolled_back": "Rolled back"}
RUNS_INSTALLED = "As installed"
REVISIONS_UNREADABLE = "The revisions could not be read. {error}"
PUBLISH = "Publish…"
PUBLISH_HEADING = "Publish content and settings"
CONTENT_FOLDER = "Content folder"
CHOOSE_FOLDER = "Choose folder…"
SETTINGS_FILE = "Settings file (optional)"
CHOOSE_FILE = "Choose file…"
SETTINGS_FILTER = "Kiosk settings (*.toml)"
SEND_TO = "Send to"
EVERY_KIOSK = "All kiosks"
GROUP_ITEM = "Group {group}"
PUBLISH_NOTE = "Note"
YOUR_PIN = "Your PIN, again"
CHECK_AND_PUBLISH = "Check and publish"
CANCEL = "Cancel"
PROBLEMS = "Problems"
NEED_FOLDER_AND_PIN = "Choose the content folder and type your PIN."
PUBLISHING = "Checking the content, then publishing…"
PUBLISH_REFUSED = "Nothing was published: fix these problems first."
PUBLISHED = "Published revision {number} to {targets}."
PUBLISH_FAILED = "Nothing was published: {error}"
SEND_TO_ALL = "Send to all"
SEND_TO_GROUP = "Send to group…"
SEND_HEADING_ALL = "Send revision {number} to all kiosks"
SEND_HEADING_GROUP = "Send revision {number} to a group"
SEND_GROUP = "Group"
SEND = "Send"
NEED_PIN = "Type your PIN."
SENDING = "Sending…"
SENT = "Revision {number} now goes to {targets}."
SEND_FAILED = "Revision {number} was not sent: {error}"


def enquiries(count: int, kind: str = "") -> str:
    """ "1 enquiry", "0 enquiries", "1,200 old enquiries" (``kind``: "old"): the
    count as the sentences above take it ({enquiries})."""
    noun = "enquiry" if count == 1 else "enquiries"
    return f"{count:,} {kind} {noun}" if kind else f"{count:,} {noun}"
