"""The patient's screens' spacing, in px: one home for the numbers, each named
by what it spaces.

Where two numbers differ it is on purpose, and the names say why: the home
screen, the page and the cards space their large controls by ``CONTROL_GAP``;
the form, with many more controls to a screen, packs them by ``FORM_GAP``; the
keyboard's keys sit at the least gap the layout rule allows (``TARGET_GAP``).
The layout tests hold every screen to at least 8 px between targets.
"""

from __future__ import annotations

#: Around a screen's content, and at the sides of its bars.
SCREEN_MARGIN = 24
#: The top bar's sides on a narrow (portrait) screen: more room for the name.
NARROW_MARGIN = 16
#: Above and below the controls of a bar (the top bar, the page's Previous /
#: Next bar); ``NARROW_BAR_PADDING`` in the two-row top bar of a narrow screen.
BAR_PADDING = 12
NARROW_BAR_PADDING = 10
#: Between the rows of a bar that takes two (a narrow top bar, the page's
#: "3 of 9" above its buttons), and between a page's title, Listen and text.
ROW_GAP = 8

#: Between the large controls of the home screen, the page and the cards:
#: tiles, the page's buttons, a card's buttons, the logo and the clinic's name.
CONTROL_GAP = 16
#: Between the request form's controls: a form has many to a screen, so they
#: sit closer than the home screen's (and fields are ``2 * FORM_GAP`` apart).
FORM_GAP = 12
#: Between the buttons of a set of choices (language, text size, contact).
CHOICE_GAP = 12
#: The least gap between two touch targets (the layout tests' rule): the
#: on-screen keyboard's keys and the Listen / Pause / Stop row.
TARGET_GAP = 8
KEY_GAP = TARGET_GAP
#: Around the keys, inside the keyboard's tray.
KEYBOARD_MARGIN = 10
#: Under the keyboard's bottom row: a hand resting on the tablet's edge (or its
#: bezel's gesture area) does not press Space or Done.
KEYBOARD_BOTTOM = 24
#: Between the page dots (they are not targets: they cannot be tapped).
DOT_GAP = 10
#: Inside a tile and the clinic's details box: (sides, top and bottom).
TILE_PADDING = (20, 16)

#: A page's title and text at most this wide: about 80 characters of 20 pt
#: text (lines across a 1920 px screen are too long to read).
READING_WIDTH = 1100
#: The request form's column on a wide screen.
FORM_WIDTH = 900
#: A card over the screen (crisis help, "Are you still there?", "Aa").
CARD_WIDTH = 760
#: The crisis card: wide enough for its two QR codes side by side, each with
#: its words beside it, at the default text size on a landscape screen.
CRISIS_CARD_WIDTH = 960
