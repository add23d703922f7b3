"""Every text of the staff screens (PIN pad and staff panel), in English.

The gettext domain ``staff``, apart from the patients' words: the language
switch is the patient's and resets when they leave, while staff read the
clinic's own language. English only for now; ``locale/staff.pot`` is there for
a translator to start from. Nothing here is shown to a patient.
"""

from __future__ import annotations

from typing import ClassVar

from kiosk.ui.i18n.words import N_, Words


class StaffWords(Words, domain="staff"):
    """Read them as ``staff_strings.NAME`` (``s.NAME`` in the staff screens)."""

    # -- the PIN pad ----------------------------------------------------------
    WHO_TITLE = N_("Staff sign-in")
    RECOVERY_REMINDER = N_(
        "The recovery code is still on this tablet ({file}). Copy it somewhere safe, "
        "then delete the file: with it, anyone with a copy of this disk can read every enquiry."
    )
    WHO_PROMPT = N_("Who are you?")
    NO_ACCOUNTS = N_(
        "There are no staff accounts now. Close this, then open staff mode again to "
        "set up staff access with the recovery code."
    )
    PIN_TITLE = N_("PIN for {name}")
    PIN_PROMPT = N_("Type your PIN (6 to 12 digits).")
    PIN_DOTS_NONE = N_("No digits typed")
    DELETE = N_("Delete")
    CANCEL = N_("Cancel")
    CLOSE = N_("Close")
    SIGN_IN = N_("Sign in")
    OTHER_NAME = N_("Other name")
    CHECKING = N_("Checking…")
    # Translators: {wait} is a duration, like "4 seconds" or "4 min 58 s".
    WRONG_PIN_WAIT = N_("Wrong PIN. Try again in {wait}.")
    WRONG_PIN_NOW = N_("Wrong PIN. Please try again.")
    # Translators: {wait} is a duration, like "4 seconds" or "4 min 58 s".
    TOO_SOON = N_("Please wait. You can try again in {wait}.")
    # Translators: {wait} is a duration, like "4 seconds" or "4 min 58 s".
    LOCKED = N_("Too many wrong PINs. Staff sign-in is locked for {wait}.")
    LOCKED_OVER = N_("Staff sign-in is open again. Type your PIN.")
    SIGN_IN_FAILED = N_("Sign-in failed: {reason}")
    TYPE_NAME = N_("Type your name")
    BACK = N_("Back")
    # Translators: the key that takes a new PIN on its digit pad.
    PIN_OK = N_("OK")

    # -- setting up the first account -----------------------------------------
    SETUP_TITLE = N_("Set up staff access")
    SETUP_CODE_PROMPT = N_(
        "Type the recovery code from the kiosk's first run (the file RECOVERY-CODE.txt: "
        "24 letters and digits; dashes and capitals do not matter)."
    )
    SETUP_NOT_A_CODE = N_("That is not a recovery code: it has 24 letters and digits.")
    # Translators: {wait} is a duration, like "4 seconds" or "4 min 58 s".
    SETUP_WRONG_CODE = N_("That recovery code is not this kiosk's. Try again in {wait}.")
    # Translators: {wait} is a duration, like "4 seconds" or "4 min 58 s".
    SETUP_LOCKED = N_("Too many wrong tries. Setting up is locked for {wait}.")
    SETUP_TRY_AGAIN = N_("You can try again now. Type the recovery code.")
    SETUP_NAME_PROMPT = N_("Your name, as staff and the log will see it")
    SETUP_PIN_PROMPT = N_("Choose your PIN: 6 to 12 digits.")
    SETUP_PIN_AGAIN = N_("Type the same PIN again.")
    PINS_DIFFER = N_("The two PINs were not the same. Choose the PIN again.")
    SETUP_WORKING = N_("Setting up…")
    SETUP_DONE = N_("Staff access is set up. {name} can sign in now with their PIN.")
    SETUP_FAILED = N_("Nothing was set up: {reason}")

    # -- durations, in words --------------------------------------------------
    # Translators: minutes and seconds, abbreviated.
    MIN_SEC = N_("{m} min {s} s")
    # Translators: minutes, abbreviated.
    MINUTES = N_("{m} min")

    # -- the panel: frame -----------------------------------------------------
    PANEL_TITLE = N_("Staff: {name}")
    LOCK = N_("Lock")
    # Translators: over the staff panel when nobody has touched it for a while.
    LOCK_WARNING = N_(
        "Nobody has touched the screen for a while: the panel locks in {seconds} "
        "seconds. Touch anywhere to stay signed in."
    )
    TAB_ENQUIRIES = N_("Enquiries")
    TAB_EXPORT = N_("Export")
    TAB_SUMMARY = N_("What patients read")
    TAB_LOG = N_("Log")
    TAB_KIOSK = N_("Kiosk")
    TAB_STAFF = N_("Staff")

    # -- the enquiries list ---------------------------------------------------
    COUNT_ALL = N_("All: {n}")
    COUNT_NEW = N_("New: {n}")
    COUNT_EXPORTED = N_("Exported: {n}")
    COUNT_CONTACTED = N_("Contacted: {n}")
    NO_ENQUIRIES = N_("No enquiries yet.")
    STORE_UNAVAILABLE = N_(
        "The enquiries cannot be opened right now. The kiosk's log says why; "
        "ask whoever looks after the kiosk."
    )
    SHOW_MORE = N_("Show {n} more")
    # Translators: a row's second line: how to contact, and when.
    ROW_CONTACT = N_("{method}, {best_time}")
    # Translators: a row's last line: its reference (the number the messages
    # after "Mark contacted" and the export's Reference column give), the
    # topic, and when it came.
    # The no-break spaces keep "Enquiry 12" and "received ..." whole when it wraps.
    ROW_TOPIC = N_("Enquiry\u00a0{id} · {topic} · received\u00a0{received}")
    ROW_OPEN = N_("Open")
    FILTER_EMPTY = N_("No enquiries are {status}.")
    NOT_OPENED = N_("(could not be opened)")

    # -- one enquiry ----------------------------------------------------------
    BACK_TO_LIST = N_("Back to the list")
    MARK_CONTACTED = N_("Mark contacted")
    MARKED_CONTACTED = N_("Marked as contacted.")
    # Translators: after a tap on a row's "Mark contacted"; {id} is its reference.
    MARKED_CONTACTED_ROW = N_("Enquiry {id} marked as contacted.")
    # Translators: puts the status back as it was before "Mark contacted".
    UNDO = N_("Undo")
    # Translators: after Undo; {id} is the enquiry's reference, {status} its status again.
    UNDONE = N_("Enquiry {id} is {status} again.")
    DETAIL_TITLE = N_("Enquiry {id}")
    FIELD_REFERENCE = N_("Reference")
    FIELD_RECEIVED = N_("Received")
    FIELD_TOPIC = N_("Topic")
    FIELD_NAME = N_("Name")
    FIELD_PHONE = N_("Phone")
    FIELD_EMAIL = N_("Email")
    FIELD_METHOD = N_("Contact by")
    FIELD_BEST_TIME = N_("Best time")
    FIELD_MESSAGE = N_("Message")
    FIELD_STATUS = N_("Status")
    EMPTY_FIELD = N_("(none)")
    CANNOT_OPEN = N_("This enquiry could not be opened. {reason}")
    GONE = N_("This enquiry is no longer in the database.")

    # -- export ---------------------------------------------------------------
    EXPORT_WHICH = N_("Which enquiries")
    EXPORT_NEW = N_("New only ({n})")
    EXPORT_ALL = N_("All ({n})")
    EXPORT_FORMAT = N_("File type")
    # The first is chosen at first: Excel shows an XLSX's cells as written, a
    # CSV's with the ' that keeps a formula from running ("'+44 20 ...").
    FORMAT_NAMES: ClassVar[dict[str, str]] = {"xlsx": N_("Excel (XLSX)"), "csv": N_("CSV")}
    EXPORT_WHERE = N_("Where to")
    EXPORT_FOLDER = N_("Export folder")
    EXPORT_GOES_TO = N_("The file goes to: {path}")
    EXPORT_DRIVE = N_("USB drive {label} ({free} free)")
    # Translators: where an export went, as staff know the place.
    EXPORT_PLACE_DRIVE = N_("USB drive {label}, file {file}")
    EXPORT_PLACE_FOLDER = N_("the export folder, file {file}")
    NO_DRIVES = N_("No USB drive found. Plug one in and tap Look again.")
    LOOK_AGAIN = N_("Look again")
    EXPORT_START = N_("Export now")
    EXPORTING = N_("Exporting… {done} of {total}")
    EXPORT_NOTHING = N_("There are no new enquiries to export.")
    EXPORT_FAILED = N_("Nothing was exported. {reason}")
    EXPORT_PROGRESS_ACCESSIBLE = N_("Export progress")

    # -- delete old ones ------------------------------------------------------
    PURGE_TITLE = N_("Delete old enquiries")
    # Translators: {age} is a number of days, like "90 days".
    PURGE_EXPLAIN = N_(
        "Exported or contacted enquiries older than {age} can be deleted. "
        "New ones are never deleted."
    )
    # Translators: {age} is a number of days, like "90 days".
    PURGE_NONE = N_("There are no exported or contacted enquiries older than {age}.")
    # Old export files go with old enquiries.
    # Translators: {age} is a number of days, like "90 days".
    FILES_EXPLAIN = N_("Export files older than {age} in the export folder are deleted too.")
    PURGE_START = N_("Delete old enquiries…")
    PURGE_YES = N_("Delete them")
    PURGE_NO = N_("Keep them")
    PURGE_FAILED = N_("Nothing was deleted. {reason}")

    # -- the kiosk ------------------------------------------------------------
    RELOAD = N_("Reload content now")
    RELOAD_APPLIED = N_("The newest content and settings are on screen.")
    RELOAD_PENDING = N_("The new content is ready; it appears when you lock.")
    RELOAD_UNCHANGED = N_("Nothing has changed since the content was last read.")
    RELOAD_REFUSED = N_("The new content was NOT applied; the last good content stays on screen:")
    RELOAD_UNAVAILABLE = N_("Live reload is not running yet. Try again in a moment.")
    CONTENT_BANNER = N_("The content or settings have problems ({n}): see the Kiosk tab.")
    CONTENT_PROBLEMS = N_("Problems found in the content or settings:")
    NO_CONTENT_PROBLEMS = N_("No problems found in the content or settings.")
    EXIT = N_("Leave kiosk mode")
    EXIT_CONFIRM = N_(
        "Leave kiosk mode? The kiosk closes and the sign-in screen shows. "
        "It starts again when the machine restarts."
    )
    EXIT_YES = N_("Leave kiosk mode")
    EXIT_NO = N_("Stay")

    # -- the office link, over every tab (issue 14; enrolled kiosks only) -----
    # Translators: {time} is a time of day, like "10:42" (or "Fri 04 Dec 10:42").
    OFFICE_ALL_SENT = N_("Office link: all sent, last at {time}.")
    OFFICE_NONE_SENT = N_("Office link: working; nothing sent yet.")
    OFFICE_STARTING = N_("Office link: starting…")
    # Translators: before what waits to be sent, when nothing is wrong.
    OFFICE_LINK = N_("Office link:")
    OFFICE_REVOKED = N_(
        "Office link: the server refused this kiosk (its access was revoked). "
        "Ask the clinic's administrator to enrol it again."
    )
    # Translators: {time} is a time of day; {reason} one of the OFFICE_WHY_ words.
    OFFICE_UNREACHABLE = N_("Office link: cannot reach the server since {time} ({reason}).")
    OFFICE_FULL = N_(
        "Office link: the server's disk is full since {time}. "
        "Ask the clinic's administrator to make room."
    )
    OFFICE_UNTRUSTED = N_(
        "Office link: the server could not be trusted (its certificate is not the "
        "clinic's), so nothing was sent. Ask the clinic's administrator."
    )
    OFFICE_DUPLICATE = N_(
        "Office link: since {time} the server refuses this kiosk's numbers as ones it "
        "already has. Ask the clinic's administrator."
    )
    OFFICE_OUTBOX = N_("Office link: the tablet's outbox cannot be read since {time}.")
    OFFICE_WHY_NOT_ANSWERING = N_("the server is not answering")
    OFFICE_WHY_TIMEOUT = N_("no answer in time")
    OFFICE_WHY_UNKNOWN_NAME = N_("the server's name is not known on this network")
    OFFICE_WHY_NO_NETWORK = N_("no network")
    OFFICE_WHY_OTHER = N_("the connection failed")
    # Translators: hours and minutes, abbreviated.
    HOURS_MINUTES = N_("{h} h {m} min")

    # -- what patients read ---------------------------------------------------
    WEEKLY_TITLE = N_("Enquiries per week")
    # Translators: a week's Monday on the chart, as strftime codes ("03 Mar").
    WEEK_OF = N_("{date:%d %b}")
    PAGES_TITLE = N_("Pages opened (all time)")
    NO_PAGE_VIEWS = N_("No page has been opened yet.")
    NO_STATS = N_("Page views are not being counted (the counter could not be opened).")
    BAR_ACCESSIBLE = N_("{label}: {value}")

    # -- the log --------------------------------------------------------------
    LOG_TITLE = N_("Latest staff actions")
    LOG_EMPTY = N_("The log is empty.")
    LOG_UNAVAILABLE = N_("The log could not be read. {reason}")
    LOG_ROW = N_("{time} · {actor} · {action}")
    # Translators: the button that shows a log entry as the file stores it.
    LOG_RAW = N_("Raw entry")
    # Translators: the log in plain words. {who} is a staff name.
    LOG_WORDS: ClassVar[dict[str, str]] = {
        "sign-in": N_("{who} signed in"),
        "lock": N_("{who} locked the panel"),
        "exit": N_("{who} left kiosk mode"),
        "reload": N_("{who} reloaded the content"),
        "view": N_("{who} opened enquiry {enquiry}"),
        "contacted": N_("{who} marked enquiry {enquiry} contacted"),
        "contacted-undone": N_("{who} put enquiry {enquiry} back to {status}"),
        "staff-add": N_("{who} added {name} as staff"),
        "staff-remove": N_("{who} removed {name} from staff"),
        "staff-reset-pin": N_("{who} gave {name} a new PIN"),
        "purge": N_("{who} deleted old enquiries ({count})"),
        "sign-in-locked": N_("{who}: sign-in locked"),
        "sign-in-failed": N_("{who}: sign-in refused"),
    }
    LOG_TO_DRIVE = N_("USB drive {label}")
    LOG_TO_FILE = N_("file {name}")
    LOG_RECOVERY = N_("The recovery code")
    LOG_UNKNOWN = N_("An unknown name")
    LOG_NOBODY = N_("The kiosk")
    # Translators: the reason after "Maria: sign-in refused" and the like.
    LOG_WRONG_PIN = N_("{who}: wrong PIN ({n} of 5)")
    LOG_WRONG_CODE = N_("{who}: wrong recovery code ({n} of 5)")
    LOG_NOT_A_CODE = N_("{who}: not a recovery code")
    LOG_TOO_SOON = N_("{who}: tried again too soon")
    LOG_LOCKED = N_("{who}: sign-in locked after 5 wrong tries")

    # -- the staff tab --------------------------------------------------------
    STAFF_TITLE = N_("Staff who can sign in")
    STAFF_YOU = N_("{name} (you)")
    STAFF_ADD = N_("Add a member of staff")
    STAFF_REMOVE = N_("Remove")
    # Translators: beside a member's name: they choose a new PIN (forgotten, or seen).
    STAFF_NEW_PIN = N_("New PIN")
    STAFF_PIN_CHANGING = N_("Saving the new PIN…")
    STAFF_PIN_CHANGED = N_("{name} has a new PIN. The old one no longer works.")
    STAFF_NAME_PROMPT = N_("The new member's name")
    # Translators: the new member types their own PIN.
    STAFF_PIN_PROMPT = N_("{name}: choose your PIN (6 to 12 digits). Only you should see it.")
    STAFF_PIN_AGAIN = N_("{name}: type the same PIN again.")
    STAFF_ADDING = N_("Adding…")
    STAFF_ADDED = N_("{name} was added. They sign in with their name and PIN.")
    STAFF_REMOVE_CONFIRM = N_("Remove {name}? Their PIN stops working at once.")
    STAFF_REMOVE_SELF = N_("Remove yourself? Your PIN stops working at once, and the panel locks.")
    STAFF_REMOVE_LAST = N_(
        "{name} is the only member of staff: removing them is done from a terminal "
        "with the recovery code, so the kiosk always has someone who can sign in."
    )
    STAFF_REMOVE_YES = N_("Remove them")
    STAFF_REMOVE_NO = N_("Keep them")
    STAFF_REMOVED = N_("{name} was removed.")
    STAFF_FAILED = N_("Nothing was changed: {reason}")

    # -- words with a number: one ngettext call each ----------------------------
    def pin_dots(self, count: int) -> str:
        """The PIN's dots, for a screen reader (``PIN_DOTS_NONE`` when none)."""
        return self.ngettext("{count} digit typed", "{count} digits typed", count).format(
            count=count
        )

    def seconds(self, n: int) -> str:
        """A wait under a minute: "1 second", "4 seconds"."""
        return self.ngettext("{n} second", "{n} seconds", n).format(n=n)

    def days(self, n: int) -> str:
        """An age, for the {age} in other words: "1 day", "90 days"."""
        return self.ngettext("{n} day", "{n} days", n).format(n=n)

    def export_done(self, count: int, path: str) -> str:
        return self.ngettext(
            "Exported {count} enquiry to:\n{path}", "Exported {count} enquiries to:\n{path}", count
        ).format(count=count, path=path)

    def log_exported(self, who: str, count: int, place: str) -> str:
        """The log's line for an export: "Sam exported 8 enquiries to USB drive KINGSTON"."""
        return self.ngettext(
            "{who} exported {count} enquiry to {place}",
            "{who} exported {count} enquiries to {place}",
            count,
        ).format(who=who, count=count, place=place)

    def purge_confirm(self, n: int, days: int) -> str:
        # Translators: {age} is a number of days, like "90 days".
        return self.ngettext(
            "Delete {n} enquiry older than {age}? This cannot be undone.",
            "Delete {n} enquiries older than {age}? This cannot be undone.",
            n,
        ).format(n=n, age=self.days(days))

    def purge_done(self, n: int) -> str:
        return self.ngettext("Deleted {n} enquiry.", "Deleted {n} enquiries.", n).format(n=n)

    def files_confirm(self, n: int, days: int) -> str:
        # Translators: {age} is a number of days, like "90 days".
        return self.ngettext(
            "Delete {n} export file older than {age} from the export folder? "
            "This cannot be undone.",
            "Delete {n} export files older than {age} from the export folder? "
            "This cannot be undone.",
            n,
        ).format(n=n, age=self.days(days))

    def files_too(self, n: int, days: int) -> str:
        # Translators: {age} is a number of days, like "90 days".
        return self.ngettext(
            "The {n} export file older than {age} in the export folder goes too.",
            "The {n} export files older than {age} in the export folder go too.",
            n,
        ).format(n=n, age=self.days(days))

    def review_needed(self, n: int) -> str:
        """The "What patients read" tab: pages no clinician has reviewed, or past
        their review date (``Library.needing_review``)."""
        return self.ngettext(
            "{n} page needs a clinical review (kiosk check-content lists it).",
            "{n} pages need a clinical review (kiosk check-content lists them).",
            n,
        ).format(n=n)

    def office_waiting(self, n: int, age: str) -> str:
        """After the office link's line: "3 enquiries waiting to be sent, the oldest
        for 12 min." ({age} is a duration, like "12 min")."""
        return self.ngettext(
            "{n} enquiry waiting to be sent, for {age}.",
            "{n} enquiries waiting to be sent, the oldest for {age}.",
            n,
        ).format(n=n, age=age)

    def files_done(self, n: int) -> str:
        return self.ngettext(
            "Deleted {n} old export file.", "Deleted {n} old export files.", n
        ).format(n=n)
