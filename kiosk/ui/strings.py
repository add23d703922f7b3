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
REQUEST_PLACEHOLDER = (
    "Would you like the clinic to contact you? Please ask at the front desk{phone}. "
    "A form to leave your details here is coming soon."
)
DISCLAIMER = "This information is for education. It is not medical advice."
