"""Every piece of text the kiosk's own interface shows, in one place.

Kept together so a translation (issue: Spanish) has one catalogue to cover.
"""

from __future__ import annotations

HOME = "Home"
PREVIOUS = "Previous"
NEXT = "Next"
REQUEST_INFO = "Request information"
NEED_HELP = "Need help now?"
CLOSE = "Close"
STILL_HERE = "I'm still here"

STILL_THERE_TITLE = "Are you still there?"
STILL_THERE_BODY = "For your privacy, this screen will go back to the start in {seconds} seconds."
APOLOGY = "Sorry, something went wrong. We have gone back to the start."
NO_CONTENT = "There is nothing to read right now. Please ask at the front desk."
PAGE_OF = "{index} of {count}"
PAGE_OF_ACCESSIBLE = "Page {index} of {count}"

CRISIS_TITLE = "Need help now?"
CRISIS_BODY = (
    "<p><b>If you are in crisis, call or text 988</b> (Suicide &amp; Crisis Lifeline).</p>"
    "<p><b>In an emergency, call 911.</b></p>"
    "<p>988 also offers help in Spanish.</p>"
    "<p>Crisis Text Line: text <b>HOME</b> to <b>741741</b>.</p>"
    "<p>You can also tell the front desk right now.</p>"
)

REQUEST_TITLE = "Request information"
DISCLAIMER = "This information is for education. It is not medical advice."
INFO_PHONE = "Call us: {}"
INFO_HOURS = "Open: {}"
INFO_WEBSITE = "More online: {}"
INFO_QR = "QR code for {}"

# -- the request form ---------------------------------------------------------
REQUEST_INTRO = "Leave your details and the clinic will contact you."
FIELD_NAME = "Your name"
FIELD_PHONE = "Phone number"
FIELD_EMAIL = "Email address"
FIELD_REACH_HINT = "Give a phone number, an email address, or both."
FIELD_METHOD = "How should we contact you?"
FIELD_METHOD_HINT = "Call and Text need a phone number; Email needs an email address."
METHOD_LABELS = {"call": "Call", "text": "Text", "email": "Email"}
METHOD_PHRASES = {"call": "phone call", "text": "text message", "email": "email"}
FIELD_BEST_TIME = "Best time to reach you"
BEST_TIME_LABELS = {
    "morning": "Morning",
    "afternoon": "Afternoon",
    "evening": "Evening",
    "any": "Any time",
}
FIELD_TOPIC = "What are you interested in?"
TOPIC_OTHER = "Something else"
FIELD_MESSAGE = "Your message (optional)"
MESSAGE_COUNT = "{count} of {limit} characters"
MESSAGE_OVER = "{count} of {limit} characters: {over} too many"
CONSENT = "The clinic may contact me about this request"
PRIVACY_NOTE = (
    "Your details are locked (encrypted) on this tablet the moment you send them, "
    "and only the clinic's staff can open them, to contact you about this request."
)
SEND = "Send request"
CHECK_FIELDS = "Some details need another look. Please see the messages above."
SAVE_FAILED = "We couldn't save your request. Please tell the front desk."
THANK_YOU_TITLE = "Your request is saved"
THANK_YOU = "Thank you, we will contact you by {method}."
THANK_YOU_BACK = "This screen goes back to the start in a few seconds."
DONE = "Done"
LEAVE_TITLE = "Leave this form?"
LEAVE_BODY = "What you typed will be cleared, so the next person cannot see it."
KEEP_WRITING = "Keep writing"
#: The form's mistakes, by the names kiosk.enquiries.form.PROBLEMS gives them.
FORM_PROBLEMS = {
    "NAME_MISSING": "Please enter your name.",
    "NAME_TOO_LONG": "Please shorten your name to at most 100 characters.",
    "NAME_ODD": "Please remove the unusual characters from your name.",
    "REACH_MISSING": "Please give a phone number or an email address, so we can reach you.",
    "PHONE_BAD": "This doesn't look like a phone number. Please check it, with the area code.",
    "PHONE_ODD": "A phone number can only have digits, spaces, +, -, ( and ).",
    "EMAIL_BAD": (
        "This doesn't look like an email address. Please check it (like name@example.com)."
    ),
    "METHOD_MISSING": "Please choose how we should contact you.",
    "METHOD_NEEDS_PHONE": "To get a call or a text, please give a phone number.",
    "METHOD_NEEDS_EMAIL": "To get an email, please give an email address.",
    "MESSAGE_TOO_LONG": "Please shorten your message to at most 500 characters.",
    "MESSAGE_ODD": "Please remove the unusual characters from your message.",
    "CONSENT_MISSING": "Please tick this box, so the clinic may contact you.",
}
CLEAR_AND_LEAVE = "Clear and go home"

# -- the on-screen keyboard's special keys (kiosk/ui/patient/keyboard.py) -------------------
KEY_SHIFT = "Shift"
KEY_NUMBERS = "123"
KEY_LETTERS = "ABC"
KEY_SPACE = "Space"
KEY_DELETE = "Delete"
KEY_NEXT = "Next"
KEY_DONE = "Done"

# -- reaching every patient: text size, contrast, read aloud, language ------------
TEXT_SIZE = "Aa"
DISPLAY_TITLE = "Text size and contrast"
TEXT_SIZE_LABEL = "Text size"
SIZE_NAMES = {"default": "Default", "large": "Large", "largest": "Largest"}
CONTRAST_LABEL = "Contrast"
CONTRAST_STANDARD = "Standard"
CONTRAST_HIGH = "High contrast"
LISTEN = "Listen"
PAUSE = "Pause"
RESUME = "Resume"
STOP_READING = "Stop"
LANGUAGE_LABEL = "Language"
# Shown on a page that has no translation in the chosen language (never in English).
NOT_TRANSLATED = "This page is not translated yet, so it is shown in English."
# The home screen's welcome, used when the clinic has not written its own.
DEFAULT_WELCOME = "Welcome. Tap a topic to read more."
