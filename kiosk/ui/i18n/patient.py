"""Every piece of text the kiosk's own interface shows patients, in English.

The gettext domain ``patient``: ``make translations`` extracts these words into
``locale/patient.pot``; each language's translation is
``locale/<code>/LC_MESSAGES/patient.po`` (see docs/authoring.md). Comments that
start with "Translators:" go into the catalogue beside the word they precede.
"""

from __future__ import annotations

from typing import ClassVar

from kiosk.ui.i18n.words import N_, NC_, Words


class PatientWords(Words, domain="patient"):
    """Read them as ``strings.NAME``: in the language the patient chose."""

    HOME = N_("Home")
    PREVIOUS = N_("Previous")
    NEXT = N_("Next")
    REQUEST_INFO = N_("Request information")
    NEED_HELP = N_("Need help now?")
    CLOSE = N_("Close")
    STILL_HERE = N_("I'm still here")

    STILL_THERE_TITLE = N_("Are you still there?")
    APOLOGY = N_("Sorry, something went wrong. We have gone back to the start.")
    NO_CONTENT = N_("There is nothing to read right now. Please ask at the front desk.")
    PAGE_OF = N_("{index} of {count}")
    PAGE_OF_ACCESSIBLE = N_("Page {index} of {count}")

    CRISIS_TITLE = N_("Need help now?")
    # Translators: rich text (keep the <p> and <b> tags). Check the numbers for
    # your language: 988 answers in Spanish when you press 2 on a call or text
    # AYUDA to 988; Crisis Text Line answers in Spanish to AYUDA at 741741.
    CRISIS_BODY = N_(
        "<p><b>If you are in crisis, call or text 988</b> (Suicide &amp; Crisis Lifeline).</p>"
        "<p>988 also offers help in Spanish.</p>"
        "<p>Crisis Text Line: text <b>HOME</b> to <b>741741</b>.</p>"
    )
    # -- crisis help's actions (kiosk/ui/patient/overlays.py, issue 11) -------
    # Translators: under a QR code that opens a call to 988 on the patient's phone.
    CRISIS_CALL_QR = N_("Scan with your phone camera to call 988")
    # Translators: under a QR code that opens a text message to 988 on the patient's phone.
    CRISIS_TEXT_QR = N_("Scan with your phone camera to text 988")
    # Translators: words only (no QR code for emergencies): calm and direct.
    CRISIS_EMERGENCY = N_("In an emergency, call 911 now.")
    # Translators: the card's last line, when the clinic has not written its own.
    CRISIS_FRONT_DESK = N_("Please tell the front desk.")

    # -- crisis alert to the front desk (issue 14, office link) --
    # Translators: a button on the crisis card of a kiosk linked to the office:
    # it alerts the front desk's computer. Short: it sits under the card's text.
    CRISIS_GET_STAFF = N_("Get a staff member")
    # Translators: shown while the kiosk waits for the front desk to answer the
    # alert. Never say here that anyone was told: nobody has answered yet.
    CRISIS_ALERT_WAITING = N_("Trying to reach the front desk…")
    # Translators: shown only after a member of staff answered the alert.
    CRISIS_ALERT_TOLD = N_("The front desk has been told. Please stay here if you can.")
    # Translators: shown when no one answered within 20 seconds, or the office
    # could not be reached at all.
    CRISIS_ALERT_FAILED = N_(
        "We could not reach the front desk. Please go to the front desk or call 988."
    )

    REQUEST_TITLE = N_("Request information")
    DISCLAIMER = N_("This information is for education. It is not medical advice.")
    INFO_PHONE = N_("Call us: {}")
    INFO_HOURS = N_("Open: {}")
    INFO_WEBSITE = N_("More online: {}")
    INFO_QR = N_("QR code for {}")

    # -- home: a guide through the topic (issue 11, point 2) ------------------
    START_HERE = N_("Start here")
    # Translators: under "Start here"; {topic} is the topic's title.
    START_HERE_SUMMARY = N_("Read “{topic}” from the first page to the last.")
    CONTINUE_READING = N_("Continue where you left off")
    # Translators: a screen reader's words for the tick on a page's tile.
    PAGE_READ = N_("You have read this page.")
    # Translators: under the QR code that holds the clinic's name and phone.
    QR_SAVE_NUMBER = N_("Scan to save our number")
    # Translators: under the QR code that holds the clinic's website (no phone given).
    QR_OPEN_WEBSITE = N_("Scan to open our website")

    # -- the request form -----------------------------------------------------
    REQUEST_INTRO = N_("Leave your details and the clinic will contact you.")
    # -- the privacy sentence in two (formfix): a short one before the name box,
    # so the box is on screen at the largest text, and the rest after it.
    # Translators: under "Leave your details...", before the first box; one short line.
    PRIVACY_NOTE = N_("Only the clinic's staff will see them.")
    # Translators: under the name box, on the form's first step.
    PRIVACY_MORE = N_(
        "Your details are locked (encrypted) on this tablet the moment you send them, "
        "and are used only to contact you about this request."
    )
    FIELD_NAME = N_("Your name")
    FIELD_PHONE = N_("Phone number")
    FIELD_EMAIL = N_("Email address")
    FIELD_METHOD = N_("How should we contact you?")
    METHOD_LABELS: ClassVar[dict[str, str]] = {
        # Translators: the choices "Call", "Text", "Email".
        "call": NC_("contact method", "Call"),
        "text": NC_("contact method", "Text"),
        "email": NC_("contact method", "Email"),
    }
    FIELD_BEST_TIME = N_("Best time to reach you")
    BEST_TIME_LABELS: ClassVar[dict[str, str]] = {
        "morning": N_("Morning"),
        "afternoon": N_("Afternoon"),
        "evening": N_("Evening"),
        "any": N_("Any time"),
    }
    FIELD_TOPIC = N_("What are you interested in?")
    TOPIC_OTHER = N_("Something else")
    FIELD_MESSAGE = N_("Your message (optional)")
    MESSAGE_COUNT = N_("{count} of {limit} characters")
    MESSAGE_OVER = N_("{count} of {limit} characters: {over} too many")
    CONSENT = N_("The clinic may contact me about this request")
    SEND = N_("Send request")
    SAVE_FAILED = N_("We couldn't save your request. Please tell the front desk.")
    REQUESTS_PAUSED = N_("We can't take requests right now. Please ask at the front desk.")
    THANK_YOU_TITLE = N_("Your request is saved")
    THANK_YOU_BACK = N_("This screen goes back to the start in a few seconds.")
    DONE = N_("Done")
    LEAVE_TITLE = N_("Leave this form?")
    LEAVE_BODY = N_("What you typed will be cleared, so the next person cannot see it.")
    KEEP_WRITING = N_("Keep writing")
    #: The form's mistakes, by the names kiosk.enquiry.PROBLEMS gives them.
    FORM_PROBLEMS: ClassVar[dict[str, str]] = {
        "NAME_MISSING": N_("Please enter your name."),
        "NAME_TOO_LONG": N_("Please shorten your name to at most 100 characters."),
        "NAME_ODD": N_("Please remove the unusual characters from your name."),
        "REACH_MISSING": N_("Please give a phone number or an email address, so we can reach you."),
        "PHONE_BAD": N_(
            "This doesn't look like a phone number. Please check it, with the area code."
        ),
        "PHONE_ODD": N_("A phone number can only have digits, spaces, dots, +, -, ( and )."),
        "EMAIL_BAD": N_(
            "This doesn't look like an email address. Please check it (like name@example.com)."
        ),
        "METHOD_MISSING": N_("Please choose how we should contact you."),
        "METHOD_NEEDS_PHONE": N_("To get a call or a text, please give a phone number."),
        "METHOD_NEEDS_EMAIL": N_("To get an email, please give an email address."),
        "MESSAGE_TOO_LONG": N_("Please shorten your message to at most 500 characters."),
        "MESSAGE_ODD": N_("Please remove the unusual characters from your message."),
        "CONSENT_MISSING": N_("Please tick this box, so the clinic may contact you."),
    }
    CLEAR_AND_LEAVE = N_("Clear and go home")

    # -- the request form in steps, its check page and thank-you (issue 11) ----
    # Translators: above each step of the request form ("Step 2 of 4").
    STEP_OF = N_("Step {index} of {count}")
    CONTINUE = N_("Continue")
    BACK = N_("Back")
    CHECK_TITLE = N_("Check your answers")
    # Translators: a button beside each answer on the check page; it goes back to that question.
    CHANGE = N_("Change")
    # Translators: an answer on the check page, like "Text: (801) 555-0100".
    ANSWER_CONTACT = N_("{method}: {detail}")
    NO_MESSAGE = N_("No message")
    # Translators: an item of the list of things to fix; it goes to the consent tick box.
    FIX_CONSENT = N_("Permission to contact you")
    THANK_YOU_CALL = N_("We will call you at {phone}.")
    THANK_YOU_TEXT = N_("We will text you at {phone}.")
    THANK_YOU_EMAIL = N_("We will email you at {email}.")
    # Translators: {reply_time} is REPLY_TIME below, or the clinic's own words
    # from its settings (not translated).
    THANK_YOU_WHEN = N_("You can expect to hear from us {reply_time}.")
    # Translators: the reply time when the clinic kept the default; it ends
    # the sentence "You can expect to hear from us {reply_time}."
    REPLY_TIME = N_("within one working day")

    # -- the on-screen keyboard's special keys (kiosk/ui/keyboard.py) ---------
    # Translators: a key of the on-screen keyboard: seven letters at most.
    KEY_SHIFT = NC_("keyboard key", "Shift")
    # Translators: a key of the on-screen keyboard: it shows the digits.
    KEY_NUMBERS = NC_("keyboard key", "123")
    # Translators: a key of the on-screen keyboard: it shows the letters again.
    KEY_LETTERS = NC_("keyboard key", "ABC")
    # Translators: a key of the on-screen keyboard: it shows the accented letters
    # (two of them, as a sample); four letters at most.
    KEY_ACCENTS = NC_("keyboard key", "áé")
    # Translators: a key of the on-screen keyboard: seven letters at most.
    KEY_SPACE = NC_("keyboard key", "Space")
    # Translators: a key of the on-screen keyboard: seven letters at most.
    KEY_DELETE = NC_("keyboard key", "Delete")
    # Translators: a key of the on-screen keyboard (the next field): five letters at most.
    KEY_NEXT = NC_("keyboard key", "Next")
    # Translators: a key of the on-screen keyboard: five letters at most.
    KEY_DONE = NC_("keyboard key", "Done")
    # Translators: what a voice says for the keys labelled "123", "ABC" and "áé"
    # (audio mode): the label itself would be read "one hundred twenty-three".
    KEY_NUMBERS_SPOKEN = N_("numbers and symbols")
    KEY_LETTERS_SPOKEN = N_("letters")
    KEY_ACCENTS_SPOKEN = N_("accented letters")

    # -- reaching every patient: text size, contrast, read aloud, language ----
    # Translators: the button that opens text size and contrast (a sample of letters).
    TEXT_SIZE = N_("Aa")
    DISPLAY_TITLE = N_("Text size and contrast")
    TEXT_SIZE_LABEL = N_("Text size")
    SIZE_NAMES: ClassVar[dict[str, str]] = {
        "default": NC_("text size", "Default"),
        "large": NC_("text size", "Large"),
        "largest": NC_("text size", "Largest"),
    }
    CONTRAST_LABEL = N_("Contrast")
    CONTRAST_STANDARD = N_("Standard")
    CONTRAST_HIGH = N_("High contrast")
    LISTEN = N_("Listen")
    PAUSE = N_("Pause")
    RESUME = N_("Resume")
    STOP_READING = N_("Stop")
    # Reading (issue 11): the last page's buttons and the cue on a long page.
    BACK_TO_TOPICS = N_("Back to topics")
    # Translators: at the foot of a page's text while there is more to scroll to.
    MORE_BELOW = N_("More below")
    LANGUAGE_LABEL = N_("Language")
    # Translators: shown on a page that has no translation in your language.
    NOT_TRANSLATED = N_("This page is not translated yet, so it is shown in English.")
    # The home screen's welcome, used when the clinic has not written its own.
    DEFAULT_WELCOME = N_("Welcome. Tap a topic to read more.")
    # Translators: in place of a page's text while it takes long to prepare (rare).
    LOADING = N_("Loading…")
    # Audio mode (issue 15): spoken only, through headphones, never shown.
    # Translators: spoken when headphones are plugged in.
    AUDIO_WELCOME = N_(
        "Audio mode is on. Press the arrow keys or swipe to move, "
        "press Enter or double-tap to choose. For help with the keys, press the star key."
    )
    # Translators: the kind of control in focus, spoken after its name ("Next, button").
    ROLE_BUTTON = N_("button")
    ROLE_TEXT_BOX = N_("text box")
    ROLE_CHECK_BOX = N_("check box")
    # Translators: spoken after a choice ("Call, button, selected").
    SELECTED = N_("selected")
    NOT_SELECTED = N_("not selected")
    # Translators: spoken after a check box ("I agree, check box, checked").
    CHECKED = N_("checked")
    NOT_CHECKED = N_("not checked")
    # Translators: spoken for an empty text box ("Your name, text box, blank").
    BLANK = N_("blank")
    # Translators: spoken when a patient goes back to the home screen.
    HOME_SPOKEN = N_("Home. The topics.")

    # -- the keypad, its help card and the privacy screen (kiosk/ui/patient/keypad.py,
    # issue 15) ---------------------------------------------------------------
    # Translators: the title of the card the keypad's help key opens.
    KEYPAD_HELP_TITLE = N_("Keypad keys")
    # Translators: the keypad's help card, one line a key, read aloud too. The
    # keys are those printed on a number pad: keep the digits and the names
    # (Enter, F1) as printed there.
    KEYPAD_HELP = N_(
        "Move: the arrow keys, or 8, 2, 4 and 6.\n"
        "Choose: Enter, or 5.\n"
        "Type: from a text box, 2 goes onto the keyboard's keys; move, then 5 types.\n"
        "Hear it again: 0. Stop speaking: the dot key.\n"
        "Slower: 7. Faster: 9.\n"
        "Quieter: minus. Louder: plus.\n"
        "Turn the screen off or on while you listen: the slash key.\n"
        "Help: the star key, or F1. Any key closes this card."
    )
    # Translators: spoken when the screen goes black for privacy (audio mode).
    PRIVACY_SCREEN_ON = N_("The screen is off. Press the slash key to turn it on again.")
    # Translators: spoken when the screen comes back.
    PRIVACY_SCREEN_OFF = N_("The screen is on.")
    # Translators: spoken after the keypad's speech keys (audio mode), when no
    # page is being read (then the reading itself changes).
    SPEECH_FASTER = N_("Faster.")
    SPEECH_SLOWER = N_("Slower.")
    SPEECH_LOUDER = N_("Louder.")
    SPEECH_QUIETER = N_("Quieter.")
    # Translators: spoken when a speech key is pressed at its end (the fastest rate…).
    SPEECH_AT_LIMIT = N_("That is as far as it goes.")
    # Translators: shown small on the black privacy screen, for staff passing by.
    PRIVACY_SCREEN_NOTE = N_(
        "The screen is off for privacy. Press the slash key on the keypad to show it."
    )

    # Translators: the on-screen keyboard's symbol keys, said by name in audio
    # mode (a speech engine says nothing for "." or "," on their own, and
    # "-" may come out as "minus").
    CHARACTER_NAMES: ClassVar[dict[str, str]] = {
        "@": N_("at sign"),
        ".": N_("dot"),
        ",": N_("comma"),
        "-": N_("dash"),
        "_": N_("underscore"),
        "'": N_("apostrophe"),
        "/": N_("slash"),
        ":": N_("colon"),
        ";": N_("semicolon"),
        "(": N_("open parenthesis"),
        ")": N_("close parenthesis"),
        "[": N_("open square bracket"),
        "]": N_("close square bracket"),
        "&": N_("ampersand"),
        '"': N_("quotation mark"),
        "#": N_("number sign"),
        "+": N_("plus"),
        "%": N_("percent"),
        "*": N_("asterisk"),
        "=": N_("equals"),
        "$": N_("dollar"),
        "?": N_("question mark"),
        "!": N_("exclamation mark"),
    }
    # Translators: a capital letter on the on-screen keyboard, said in audio
    # mode: "capital A" (a speech engine says "A" and "a" alike).
    CAPITAL_LETTER = N_("capital {letter}")

    # -- words with a number: one ngettext call each ----------------------------
    def things_to_fix(self, count: int) -> str:
        """The request form's bottom banner: "1 thing to fix", "2 things to fix"."""
        return self.ngettext("{count} thing to fix", "{count} things to fix", count).format(
            count=count
        )

    def still_there_body(self, seconds: int) -> str:
        """The idle countdown: "... in 1 second.", "... in 5 seconds."."""
        return self.ngettext(
            "For your privacy, this screen will go back to the start in {seconds} second.",
            "For your privacy, this screen will go back to the start in {seconds} seconds.",
            seconds,
        ).format(seconds=seconds)
