"""The "Request information" screen: a touch form in four short steps, its
keyboard, the thank-you.

The steps follow the GOV.UK "one thing per page" pattern: your name; how we
should contact you (Call / Text / Email, then only the detail that choice
needs); best time, topic and an optional message; check your answers (the
consent box first, in view, then each answer with "Change") and Send. Every
step is a panel of one scrolling column, shown one at a time: Back and Change
only switch panels, so nothing typed is ever lost between steps.

What the patient types lives only in these widgets until Send; the checks are
``kiosk.enquiries.form.check`` and the saving is ``kiosk.enquiries.store.EnquiryStore.save``,
which seals the personal fields before they touch the disk. ``wipe()`` is the
one place that forgets a patient: every field, every undo history, the
keyboard's state and the clipboard.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QClipboard,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QMouseEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Config
from kiosk.content import Library
from kiosk.enquiries.form import (
    MAX_MESSAGE,
    METHOD_NEEDS_EMAIL,
    METHOD_NEEDS_PHONE,
    PROBLEMS,
    BestTime,
    FormInput,
    Method,
    check,
    phone_for_display,
)
from kiosk.enquiries.store import EnquiryStore, StoreError
from kiosk.ui.i18n import strings
from kiosk.ui.keynav import REVEAL_ON_TAB, focusable
from kiosk.ui.metrics import FORM_GAP, FORM_WIDTH, SCREEN_MARGIN
from kiosk.ui.patient.keyboard import KeyboardKind, OnScreenKeyboard
from kiosk.ui.patient.overlays import Overlay
from kiosk.ui.touch import TouchScroller
from kiosk.ui.widgets import (
    Choices,
    WrapButton,
    announce,
    button,
    centred,
    plain_text,
    sentences,
    text_label,
    typed,
    unbroken,
)

log = logging.getLogger(__name__)

#: The core's English message → its name in ``strings.FORM_PROBLEMS``.
PROBLEM_NAMES = {message: name for name, message in PROBLEMS.items()}
OTHER_TOPIC = "_other"  # topic folders never start with "_" (the loader skips them)
VISIBLE_MARGIN = 24  # px kept between a focused field and the keyboard
TICK_POINTS = 96  # the thank-you's tick at its largest (#thanksTick in form.qss)
TICK_LEAST_POINTS = 32  # smaller than this, it goes: the words say it all

# So that a system keyboard neither suggests nor learns what a patient types.
_PRIVATE_INPUT = Qt.InputMethodHint.ImhNoPredictiveText | Qt.InputMethodHint.ImhSensitiveData


@dataclass(frozen=True)
class Step:
    """One screen of the form: its name, and the fields whose problems it shows
    (by the names ``check()`` reports them under)."""

    key: str
    fields: tuple[str, ...]


STEPS = (
    Step("name", ("name",)),
    Step("contact", ("method", "phone", "email")),
    Step("details", ("best_time", "topic", "message")),
    Step("check", ("consent",)),
)
CHECK_STEP = len(STEPS) - 1
#: A method's missing detail is said under the detail's own field, where it is typed.
_NEEDS = {METHOD_NEEDS_PHONE: "phone", METHOD_NEEDS_EMAIL: "email"}


def step_of(field: str) -> int:
    return next(index for index, step in enumerate(STEPS) if field in step.fields)


class ConsentBox(QCheckBox):
    """A large check box whose text wraps (a QCheckBox's own text never does,
    and the consent sentence is wider than a portrait screen at large text).
    The whole box, indicator and text, is one target."""

    INDICATOR_ROOM = 64  # px: the 40 px indicator and the space after it

    def __init__(self, text: str) -> None:
        super().__init__()
        self.setObjectName("consent")
        self.setAccessibleName(text)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        # Narrower than its one-line text: it wraps (a check box's own policy
        # would keep the whole sentence on one line and widen the form).
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._label = text_label(text, "consentText")
        self._label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(self.INDICATOR_ROOM, 8, 0, 8)
        layout.addWidget(self._label)

    def label_text(self) -> str:
        return self._label.text()

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)

    def sizeHint(self) -> QSize:
        layout = self.layout()
        assert layout is not None
        return layout.sizeHint().expandedTo(QSize(0, 56))

    def minimumSizeHint(self) -> QSize:
        return QSize(self.INDICATOR_ROOM + 120, 56)  # the text wraps: narrow is fine

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        label_width = max(1, width - self.INDICATOR_ROOM)
        return max(56, self._label.heightForWidth(label_width) + 16)


class Field(QWidget):
    """A labelled control with its error message below it, in words."""

    def __init__(self, label: str, control: QWidget, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.control = control
        self.label = text_label(label, "fieldLabel")
        self.label.setBuddy(control)
        if label:  # a control that shows its own text (the consent box) keeps its name
            control.setAccessibleName(label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.label)
        layout.addWidget(control)
        self.error = text_label("", "fieldError")
        self.error.setAccessibleName("")
        self.error.hide()
        layout.addWidget(self.error)

    def set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.control.setAccessibleDescription(message)
        if isinstance(self.control, Choices):
            # The buttons take the focus, not their row: a screen reader reads
            # the mistake with whichever choice it lands on.
            for choice in self.control.buttons():
                choice.setAccessibleDescription(message)
        self.control.setProperty("invalid", bool(message))
        # A dynamic property takes effect in the style sheet only after a re-polish.
        style = self.control.style()
        style.unpolish(self.control)
        style.polish(self.control)


class TapToFocus(QObject):
    """Focuses a text field on a tap's release, never on the press: a drag that
    starts on a field scrolls the form (``TouchScroller`` eats the drag's
    release) and opens no keyboard.

    Installed on a field before the scroller tracks it, so that it runs after
    the scroller (Qt calls the filter installed last first) and sees only the
    releases the scroller let through: those of taps."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._fields: dict[QObject, QWidget] = {}

    def watch(self, field: QWidget, receiver: QWidget) -> None:
        """Focus ``field`` on a tap on ``receiver`` (the field, or a text box's viewport)."""
        field.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # no focus on the press
        self._fields[receiver] = field
        receiver.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            field = self._fields.get(watched)
            if field is not None and field.isEnabled() and not field.hasFocus():
                field.setFocus(Qt.FocusReason.MouseFocusReason)
        return False


class AnswerRow(QWidget):
    """One answer on the check page: the question, the answer, and "Change"."""

    def __init__(self, question: str) -> None:
        super().__init__()
        self.setObjectName("answerRow")
        self.question = text_label(question, "answerQuestion")
        self.answer = text_label("", "answerText")
        # A long word (an email address) wraps or is cut, never widens the form.
        self.answer.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.change = button(strings.CHANGE, "quiet", "changeAnswer")
        self._question = question
        self.change.setAccessibleDescription(question)  # which "Change", for a screen reader
        # One column, "Change" under the answer (as GOV.UK on a phone): a
        # wrapped label beside a button is given a little less height than it needs.
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(self.question)
        column.addWidget(self.answer)
        column.addWidget(self.change, 0, Qt.AlignmentFlag.AlignLeft)

    def show_answer(self, text: str) -> None:
        """The answer shown, and said with its "Change" (a screen reader, audio
        mode): "Change, button, Your name: Ana Lopez". The question alone left a
        patient who cannot see it no way to check what they send (found in review)."""
        self.answer.setText(text)
        plain = plain_text(text).strip()
        self.change.setAccessibleDescription(
            f"{self._question}: {plain}" if plain else self._question
        )


class RequestScreen(QWidget):
    """The request form, step by step, and the thank-you that follows a saved request.

    Signals:
        home(): the Home button.
        finished(): the thank-you has been shown long enough (or tapped away);
            the window resets, which wipes the form.
    """

    home = Signal()
    finished = Signal()
    saved = Signal()  # a request just went to disk (not emitted for one saved already)

    def __init__(
        self,
        config: Config,
        store: EnquiryStore | None,
        open_store: Callable[[], EnquiryStore | None] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("requestScreen")
        self.config = config
        self.store = store
        # Asked again at each Send while there is no store (keys could not be
        # made at start: a full or read-only disk), so a fixed fault heals.
        self._open_store = open_store
        self._form_key = uuid.uuid4().hex
        self._sending = False
        self._topic_preset = True  # the topic chosen is ours, not the patient's, until they tap
        self.step = 0
        self._return_to_check = False  # came by "Change": Continue goes back to the check page
        #: The messages showing, by field (the core's English): each is checked
        #: again at every change and goes the moment its cause is fixed.
        self._shown: dict[str, str] = {}

        self._thanks_viewport: QWidget | None = None  # (watched once made)
        self._thanks_inner: QWidget | None = None
        self.views = QStackedWidget()
        self.form_view = self._build_form()
        self.thanks_view = self._build_thanks()
        self.views.addWidget(self.form_view)
        self.views.addWidget(self.thanks_view)
        # Fitted again on a turned tablet, and on new words or a new text size.
        self._thanks_viewport = self.thanks_view.viewport()
        self._thanks_inner = self.thanks_view.widget()
        assert self._thanks_inner is not None
        self._thanks_viewport.installEventFilter(self)
        self._thanks_inner.installEventFilter(self)

        self.keyboard: OnScreenKeyboard | None = None
        if config.keyboard == "built-in":
            self.keyboard = OnScreenKeyboard()
            self.keyboard.hide()
            self.keyboard.next_field.connect(self.focus_next_field)
            self.keyboard.done.connect(self.close_keyboard)
            self.keyboard.typed.connect(self._keep_focus_in_view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.views, 1)
        if self.keyboard is not None:
            layout.addWidget(self.keyboard)

        self._thanks_timer = QTimer(self)
        self._thanks_timer.setSingleShot(True)
        #: How many times ``thank_you_seconds`` the thank-you stays: the window's
        #: idle stretch (audio mode: ten, as the idle time; WCAG 2.2.1).
        self.time_stretch: Callable[[], int] = lambda: 1
        self._thanks_timer.timeout.connect(self.finished)

        # Leaving a form with typing in it: clear it (the next patient must not
        # find it) or keep writing (a Home tapped by mistake loses nothing).
        self.leave_overlay = Overlay(self, strings.LEAVE_TITLE)
        self.leave_overlay.body.setText(strings.LEAVE_BODY)
        keep = button(strings.KEEP_WRITING, "quiet", "keepWriting")
        keep.clicked.connect(self.leave_overlay.hide)
        clear = button(strings.CLEAR_AND_LEAVE, None, "clearAndLeave")
        clear.clicked.connect(self._clear_and_leave)
        self.leave_overlay.add_button(keep)
        self.leave_overlay.add_button(clear)

        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._on_focus_changed)
        self._update_count()
        self._on_method_changed()
        self.go_to(0)

    # -- building -------------------------------------------------------------
    def _build_form(self) -> QWidget:
        """The steps, each a panel of one scrolling column; the list of things
        to fix, Home, Back and Continue (or Send) in a bar below."""
        self._make_controls()
        self.fields = self._make_fields()
        self.scroll_area = self._make_scroll_area(self._make_column())
        self._keep_gutter(0, 0)  # nothing to scroll yet: the bar is hidden
        self.bottom = self._make_bottom_bar()
        # Hidden while the keyboard is open; Tab from a field still reaches it.
        self.bottom.setProperty(REVEAL_ON_TAB, True)
        view = QWidget()
        view.setObjectName("requestForm")
        layout = QVBoxLayout(view)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.bottom)
        return view

    def _make_controls(self) -> None:
        """What the patient types in and taps: the edits, the choices, consent."""
        self._tap_to_focus = TapToFocus(self)
        self.name_edit = self._line_edit("nameEdit")
        self.phone_edit = self._line_edit("phoneEdit", Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.email_edit = self._line_edit("emailEdit", Qt.InputMethodHint.ImhEmailCharactersOnly)
        self.message_edit = QPlainTextEdit()
        self.message_edit.setObjectName("messageEdit")
        self.message_edit.setTabChangesFocus(True)
        self.message_edit.setInputMethodHints(_PRIVATE_INPUT)
        self.message_edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.message_edit.textChanged.connect(self._update_count)
        self.message_edit.textChanged.connect(self._recheck)
        for receiver in (self.message_edit, self.message_edit.viewport()):
            self._tap_to_focus.watch(self.message_edit, receiver)
        self.methods = Choices(
            [(m.value, strings.METHOD_LABELS[m.value]) for m in Method], "methodChoices"
        )
        for choice in self.methods.buttons():
            # toggled, not picked: a method set by the program shows its field too.
            choice.toggled.connect(self._on_method_changed)
        self.best_times = Choices(
            [(t.value, strings.BEST_TIME_LABELS[t.value]) for t in BestTime], "timeChoices"
        )
        self.topics = Choices([], "topicChoices")
        self.topics.picked.connect(self._on_topic_picked)
        self.consent = ConsentBox(strings.CONSENT)
        self.consent.toggled.connect(self._recheck)

    def _make_fields(self) -> dict[str, Field]:
        """Each control with its label and error message, by the name ``check()``
        reports problems under; the message's count below its box."""
        fields = {
            "name": Field(strings.FIELD_NAME, self.name_edit, "nameField"),
            "method": Field(strings.FIELD_METHOD, self.methods, "methodField"),
            "phone": Field(strings.FIELD_PHONE, self.phone_edit, "phoneField"),
            "email": Field(strings.FIELD_EMAIL, self.email_edit, "emailField"),
            "best_time": Field(strings.FIELD_BEST_TIME, self.best_times, "timeField"),
            "topic": Field(strings.FIELD_TOPIC, self.topics, "topicField"),
            "message": Field(strings.FIELD_MESSAGE, self.message_edit, "messageField"),
            "consent": Field("", self.consent, "consentField"),
        }
        fields["consent"].label.hide()
        self.count_label = text_label("", "messageCount")
        message_layout = fields["message"].layout()
        assert isinstance(message_layout, QVBoxLayout)
        message_layout.insertWidget(2, self.count_label)
        return fields

    def _make_column(self) -> QWidget:
        """ "Step 2 of 4", the title and the steps' panels (one showing) in a
        column of at most ``FORM_WIDTH``, centred."""
        inner = QWidget()
        inner.setObjectName("requestInner")
        column = QVBoxLayout(inner)
        column.setContentsMargins(
            SCREEN_MARGIN + 8, SCREEN_MARGIN, SCREEN_MARGIN + 8, SCREEN_MARGIN
        )
        column.setSpacing(FORM_GAP * 2)
        self.step_label = text_label("", "formStep")
        column.addWidget(self.step_label)
        column.addWidget(text_label(strings.REQUEST_TITLE, "pageTitle"))
        intro = text_label(strings.REQUEST_INTRO, "formIntro")
        note = text_label(strings.PRIVACY_NOTE, "privacyNote")
        more = text_label(strings.PRIVACY_MORE, "privacyMore")
        check = text_label(strings.CHECK_TITLE, "checkTitle")
        #: Each step's own words, said with "Step 1 of 4" on arriving
        #: (``step_spoken``): a patient listening hears the privacy sentences
        #: a sighted one reads before typing a name.
        self._step_words: list[tuple[QLabel, ...]] = [(intro, note, more), (), (), (check,)]
        self.panels = [
            self._panel(
                # The privacy sentence comes before the first field, not after
                # Send: short, so that the field is on screen too; the rest after it.
                intro,
                note,
                self.fields["name"],
                more,
            ),
            self._panel(self.fields["method"], self.fields["phone"], self.fields["email"]),
            self._panel(self.fields["best_time"], self.fields["topic"], self.fields["message"]),
            # The box Send needs ticked at the top, in view on arriving: under
            # the answers it was below the fold at every size, and each first
            # Send came back with "1 thing to fix".
            self._panel(check, self.fields["consent"], *self._make_answers()),
        ]
        for panel in self.panels:
            column.addWidget(panel)
        # Room held below the content while the viewport grows (the keyboard or
        # the list of things to fix goes), so nothing under the finger moves.
        self._reserve = QWidget()
        self._reserve.setObjectName("requestInner")
        self._reserve.setFixedHeight(0)
        column.addWidget(self._reserve)
        column.addStretch(1)
        holder = QWidget()
        holder.setObjectName("requestInner")
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(inner)
        outer = QWidget()
        outer.setObjectName("requestInner")
        self._centring = centred(holder, FORM_WIDTH)
        outer.setLayout(self._centring)
        return outer

    def _keep_gutter(self, _minimum: int, maximum: int) -> None:
        """Hold the scroll bar's width at the right while it is hidden: the
        column is then centred in the same width either way, and a scroll bar
        coming (the keyboard took the room) moves nothing sideways."""
        gutter = 0 if maximum > 0 else self.scroll_area.verticalScrollBar().sizeHint().width()
        self._centring.setContentsMargins(0, 0, gutter, 0)

    @staticmethod
    def _panel(*widgets: QWidget) -> QWidget:
        panel = QWidget()
        panel.setObjectName("requestInner")
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(FORM_GAP * 2)
        for widget in widgets:
            layout.addWidget(widget)
        return panel

    def _make_answers(self) -> list[AnswerRow]:
        """The check page's rows, each with "Change" going to its step."""
        self.answers = {
            "name": AnswerRow(strings.FIELD_NAME),
            "method": AnswerRow(strings.FIELD_METHOD),
            "best_time": AnswerRow(strings.FIELD_BEST_TIME),
            "topic": AnswerRow(strings.FIELD_TOPIC),
            "message": AnswerRow(strings.FIELD_MESSAGE),
        }
        for key, row in self.answers.items():
            row.change.clicked.connect(lambda _checked=False, key=key: self.change(key))
        return list(self.answers.values())

    def _make_scroll_area(self, column: QWidget) -> QScrollArea:
        """The column scrolls, by finger too, wherever the finger lands."""
        area = QScrollArea()
        area.setObjectName("requestScroll")
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields
        area.setWidgetResizable(True)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(column)
        area.verticalScrollBar().valueChanged.connect(self._trim_reserve)
        area.verticalScrollBar().rangeChanged.connect(self._keep_gutter)
        self.scroller = TouchScroller(area)
        for widget in column.findChildren(QWidget):
            self.scroller.track(widget)
        return area

    def _make_bottom_bar(self) -> QWidget:
        """A notice ("We couldn't save..."), the things left to fix (each goes
        to its field), then Home, Back and Continue or Send."""
        self.notice = text_label("", "formNotice")
        self.notice.hide()
        self.fix_count = text_label("", "formNotice")
        self.fix_count.hide()
        self.fix_items: dict[str, QPushButton] = {}
        items = QVBoxLayout()
        items.setSpacing(FORM_GAP)
        for key, field in self.fields.items():
            label = field.label.text() or strings.FIX_CONSENT
            item = WrapButton(label, "quiet", "fixItem")  # a whole question: it may wrap
            item.clicked.connect(lambda _checked=False, key=key: self.go_to_field(key))
            item.hide()
            self.fix_items[key] = item
            # At the left by a stretch, not an alignment flag: Qt gives an
            # aligned button its one-line height, and two lines would be cut.
            row = QHBoxLayout()
            row.addWidget(item)
            row.addStretch(1)
            items.addLayout(row)
        self.home_button = button(strings.HOME, "quiet", "requestHome")
        self.home_button.clicked.connect(self.leave)
        self.back_button = button(strings.BACK, "quiet", "requestBack")
        self.back_button.clicked.connect(self.back)
        self.continue_button = button(strings.CONTINUE, "big", "continueButton")
        self.continue_button.clicked.connect(self.next_step)
        self.send_button = button(strings.SEND, "big", "sendButton")
        self.send_button.clicked.connect(self.send)
        bar = QWidget()
        bar.setObjectName("formBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        bottom = QVBoxLayout(bar)
        bottom.setContentsMargins(SCREEN_MARGIN, FORM_GAP, SCREEN_MARGIN, FORM_GAP)
        bottom.setSpacing(FORM_GAP)
        bottom.addWidget(self.notice)
        bottom.addWidget(self.fix_count)
        bottom.addLayout(items)
        self._buttons = QGridLayout()
        self._buttons.setSpacing(FORM_GAP * 2)
        self._buttons.setColumnStretch(2, 1)
        bottom.addLayout(self._buttons)
        # In the bar from the start: a button shown before it has a parent
        # would open as a window of its own (and take the kiosk's focus).
        self._stacked = False
        self._arrange_buttons()
        bar.installEventFilter(self)  # its width, or its buttons' (text size): fit them again
        return bar

    def _fit_buttons(self) -> None:
        """Home, Back and Continue (or Send) on one row; where they do not fit
        (large Spanish on a portrait screen), Continue or Send on a row of its
        own below, the whole width: a button is never squeezed and cut."""
        shown = [
            b
            for b in (self.home_button, self.back_button, self.continue_button, self.send_button)
            if not b.isHidden()
        ]
        gaps = self._buttons.horizontalSpacing() * (len(shown) - 1)
        needed = sum(b.sizeHint().width() for b in shown) + gaps + 2 * SCREEN_MARGIN
        stacked = needed > self.bottom.width()
        if stacked != self._stacked:
            self._stacked = stacked
            self._arrange_buttons()

    def _arrange_buttons(self) -> None:
        """Home and Back at the left; Continue and Send (one shows) at the
        right of the row, or on a row of their own when stacked."""
        grid = self._buttons
        stacked = self._stacked
        for widget in (self.home_button, self.back_button, self.continue_button, self.send_button):
            grid.removeWidget(widget)
        grid.addWidget(self.home_button, 0, 0)
        grid.addWidget(self.back_button, 0, 1)
        for forward in (self.continue_button, self.send_button):  # one of the two shows
            if stacked:
                grid.addWidget(forward, 1, 0, 1, 4)
            else:
                grid.addWidget(forward, 0, 3)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.bottom and event.type() in (
            QEvent.Type.Resize,
            QEvent.Type.LayoutRequest,
        ):
            self._fit_buttons()
        elif watched is self._thanks_viewport and event.type() == QEvent.Type.Resize:
            self._fit_thanks()
        elif watched is self._thanks_inner and event.type() == QEvent.Type.LayoutRequest:
            # New words or a new text size: fitted once the layout has them.
            QTimer.singleShot(0, self, self._fit_thanks)
        return False

    def _line_edit(
        self, object_name: str, hint: Qt.InputMethodHint = Qt.InputMethodHint.ImhNone
    ) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(object_name)
        edit.setInputMethodHints(_PRIVATE_INPUT | hint)
        edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        edit.setClearButtonEnabled(False)
        edit.returnPressed.connect(self.focus_next_field)
        edit.textChanged.connect(self._recheck)
        self._tap_to_focus.watch(edit, edit)
        return edit

    def _build_thanks(self) -> QScrollArea:
        view = QWidget()
        view.setObjectName("thanksView")
        layout = QVBoxLayout(view)
        margin = SCREEN_MARGIN * 2
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(FORM_GAP * 2)
        layout.addStretch(1)
        self.thanks_tick = text_label("\N{CHECK MARK}", "thanksTick", wrap=False)
        self.thanks_tick.setAccessibleName("")  # a picture of what the title says
        self.thanks_title = text_label(strings.THANK_YOU_TITLE, "thanksTitle")
        self.thanks_text = text_label("", "thanksText")
        self.thanks_when = text_label("", "thanksWhen")
        self.thanks_back = text_label(strings.THANK_YOU_BACK, "thanksBack")
        for label in (
            self.thanks_tick,
            self.thanks_title,
            self.thanks_text,
            self.thanks_when,
            self.thanks_back,
        ):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            layout.addWidget(label)
        # An email address is one long word: it wraps or is cut, never widens the screen.
        self.thanks_text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.done_button = button(strings.DONE, "big", "thanksDone")
        self.done_button.clicked.connect(self.finished)
        layout.addLayout(centred(self.done_button))
        layout.addStretch(2)
        # In a scroll area: the views share one stack, and the thank-you's
        # height at the largest text must not become the form's least height
        # (with the keyboard open, that would push the window past the screen).
        area = QScrollArea()
        area.setObjectName("thanksScroll")
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        area.setWidgetResizable(True)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(view)
        self._tick_points = TICK_POINTS
        return area

    def _fit_thanks(self) -> None:
        """The thank-you fits the screen with Done on it: the tick, the one
        thing there only to look at, shrinks to the room the words leave it,
        and goes when that is less than ``TICK_LEAST_POINTS``."""
        area = self.thanks_view
        view = area.widget()
        layout = view.layout() if view is not None else None
        if view is None or layout is None:
            return
        tick = self.thanks_tick
        spacing = layout.spacing()
        need = view.heightForWidth(area.viewport().width())
        if need < 0:
            return
        if not tick.isHidden():
            need -= tick.sizeHint().height() + spacing
        # What is left for the tick, less a little: a font's rounding must not
        # bring a scroll bar (which would narrow the text and rewrap it).
        room = area.viewport().height() - need - spacing - FORM_GAP
        font = QFont(tick.font())
        points = TICK_POINTS
        while points >= TICK_LEAST_POINTS:
            font.setPointSizeF(points)
            if QFontMetrics(font).height() <= room:
                break
            points -= 4
        if points == self._tick_points and tick.isHidden() == (points < TICK_LEAST_POINTS):
            return  # as it is: no restyle (each would ask for another layout)
        self._tick_points = points
        tick.setVisible(points >= TICK_LEAST_POINTS)
        # The label's own sheet outweighs the application's (#thanksTick in form.qss).
        tick.setStyleSheet("" if points == TICK_POINTS else f"font-size: {points}pt;")

    # -- content --------------------------------------------------------------
    def set_library(self, library: Library) -> None:
        """The topics a patient can say they are interested in."""
        options = [(t.topic_id, t.title) for t in library.topics]
        options.append((OTHER_TOPIC, strings.TOPIC_OTHER))
        self.topics.set_options(options)
        for choice in self.topics.buttons():
            self.scroller.track(choice)
        # The topic buttons are made after the rest of the form: put them back
        # in the Tab order where they are on screen, before the message.
        previous: QWidget = self.best_times.buttons()[-1]
        for choice in self.topics.buttons():
            QWidget.setTabOrder(previous, choice)
            previous = choice
        QWidget.setTabOrder(previous, self.message_edit)

    def open(self, topic_id: str = "") -> None:
        """Show the form (as the patient left it), with ``topic_id`` chosen
        unless they already chose a topic themselves."""
        if self.views.currentWidget() is not self.form_view:
            return
        if not self.topics.value() or self._topic_preset:
            self.topics.set_value(topic_id or OTHER_TOPIC)
            self._topic_preset = True
        if not self.best_times.value():
            self.best_times.set_value(BestTime.ANY.value)
        if not self._takes_requests():
            self._show_notice(strings.REQUESTS_PAUSED)

    def _takes_requests(self) -> bool:
        """Whether a request could be saved now: said before anyone types."""
        if self.store is None and self._open_store is not None:
            self.store = self._open_store()
        return self.store is not None and self.store.ready()

    def _on_topic_picked(self, _value: str) -> None:
        self._topic_preset = False

    # -- the steps ------------------------------------------------------------
    def go_to(self, index: int) -> None:
        """Show step ``index`` (from 0): what was typed on every step stays."""
        self.close_keyboard()
        self.step = index
        for number, panel in enumerate(self.panels):
            panel.setVisible(number == index)
        if index == CHECK_STEP:
            self._fill_answers()
            self._return_to_check = False
        self.step_label.setText(strings.STEP_OF.format(index=index + 1, count=len(STEPS)))
        self.back_button.setVisible(index > 0)
        self.continue_button.setVisible(index != CHECK_STEP)
        self.send_button.setVisible(index == CHECK_STEP)
        self._fit_buttons()
        self._update_fix_list()
        self._reserve.setFixedHeight(0)
        self._lay_out_now()
        # After the layout: the column shrinking under a scrolled position
        # sets the finger scroller moving (back into bounds), and a moving
        # scroller takes the next tap as a touch that stops it.
        self.scroller.stop()
        self.scroll_area.verticalScrollBar().setValue(0)
        announce(self, self.step_spoken())

    def step_spoken(self) -> str:
        """What the step says on arriving: "Step 1 of 4" and the step's own
        words above its boxes (the privacy sentences on the first)."""
        words = (label.text() for label in self._step_words[self.step])
        return sentences((self.step_label.text(), *words))

    def _lay_out_now(self) -> None:
        """Lay the form out now, not over the next passes of the event loop
        (one a level of nesting), during which a wrapped label grown by the
        new step (polished fonts, a long answer, the buttons on two rows)
        shows squeezed into its old height: each layout from the innermost
        out, then the scrolling column to its new height."""

        def depth(widget: QWidget) -> int:
            level = 0
            while widget is not self.form_view and (parent := widget.parentWidget()) is not None:
                widget, level = parent, level + 1
            return level

        laid_out = [w for w in self.form_view.findChildren(QWidget) if w.layout() is not None]
        for widget in [*sorted(laid_out, key=depth, reverse=True), self.form_view]:
            layout = widget.layout()
            if layout is not None and widget.isVisible():
                layout.activate()
        QApplication.sendEvent(self.scroll_area, QEvent(QEvent.Type.LayoutRequest))

    def next_step(self) -> None:
        """Continue: this step's answers are checked; a mistake stays here, said
        in words; otherwise the next step (or the check page, after a Change)."""
        by_keys = self.continue_button.hasFocus()  # (a tap never gives it the focus)
        self.close_keyboard()
        problems = self._placed(self._problems())
        mine = {key: m for key, m in problems.items() if key in STEPS[self.step].fields}
        self._show(mine, STEPS[self.step].fields)
        if mine:
            log.info("request form: %d field(s) to fix on step %d", len(mine), self.step + 1)
            self._reveal_first_mistake()
            return
        self.go_to(CHECK_STEP if self._return_to_check else min(self.step + 1, CHECK_STEP))
        if by_keys:
            self._focus_the_step()

    def back(self) -> None:
        by_keys = self.back_button.hasFocus()
        self.go_to(max(0, self.step - 1))
        if by_keys:
            self._focus_the_step()

    def _focus_the_step(self) -> None:
        """From the keys, the focus on the new step's first control: hiding the
        step it was on dropped it, and the next key started again at the top
        bar's "Need help now?" (found in review)."""
        panel = self.panels[self.step]
        widget = panel.nextInFocusChain()
        for _ in range(500):
            if widget is None or widget is panel:
                break
            if panel.isAncestorOf(widget) and widget.isVisible() and focusable(widget):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return
            widget = widget.nextInFocusChain()
        self.continue_button.setFocus(Qt.FocusReason.TabFocusReason)

    def change(self, key: str) -> None:
        """A "Change" on the check page: that step, then straight back here."""
        self._return_to_check = True
        self.go_to(step_of(key))
        self.go_to_field(key)

    def go_to_field(self, key: str) -> None:
        """An item of the list of things to fix (or a Change): its step and its
        field in view; a box to type in takes the focus (the keyboard opens). A
        choice does not: a focus ring on "Call" would look like a choice made."""
        if self.step != step_of(key):
            self.go_to(step_of(key))
        field = self.fields[key]
        self.reveal(field)
        if isinstance(field.control, QLineEdit | QPlainTextEdit):
            field.control.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            announce(self, sentences((field.label.text(), field.error.text())))

    def _reveal_first_mistake(self) -> None:
        """The first field with a message on this step, its message too, in
        view above the bar, which has just grown by the list of things to fix
        (the patient may have been scrolled anywhere); again once the layout
        has settled."""
        key = next((k for k in STEPS[self.step].fields if k in self._shown), None)
        if key is None:
            return
        field = self.fields[key]
        # After "N things to fix" (``_show``): which one first, and why.
        announce(self, sentences((field.label.text(), field.error.text())))
        self._lay_out_now()  # the bar's new height: the viewport it leaves
        self.scroller.stop()
        self.reveal(field)
        QTimer.singleShot(0, self, lambda: self.reveal(field))

    def reveal(self, field: Field) -> None:
        """Scroll the least that shows ``field`` whole (label, box, message)
        inside the visible form, ``VISIBLE_MARGIN`` clear of its edges; in a
        viewport too short for that, its box and message; then its message."""
        viewport = self.scroll_area.viewport().height()
        column = self.scroll_area.widget()
        assert column is not None

        def span(widget: QWidget) -> tuple[int, int]:
            top = widget.mapTo(column, QPoint(0, 0)).y()
            return top, top + widget.height()

        spans = [span(field)]
        if field.error.isVisible():
            spans += [(span(field.control)[0], span(field.error)[1]), span(field.error)]
        top, bottom = next(
            (s for s in spans if s[1] - s[0] <= viewport - 2 * VISIBLE_MARGIN), spans[-1]
        )
        bar = self.scroll_area.verticalScrollBar()
        value = bar.value()
        if bottom + VISIBLE_MARGIN > value + viewport:
            value = bottom + VISIBLE_MARGIN - viewport
        if top - VISIBLE_MARGIN < value:
            value = top - VISIBLE_MARGIN
        bar.setValue(value)

    def _fill_answers(self) -> None:
        """The check page says back what was typed, the number as the clinic writes it."""
        values = self.form_input()
        # What was typed may wrap anywhere it must (a long address after its
        # "@" and dots), never cut; a phone number stays on one line.
        self.answers["name"].show_answer(typed(values.name.strip()))
        contact = ""
        if values.method is not None:
            detail = (
                typed(values.email.strip())
                if values.method is Method.EMAIL
                else unbroken(phone_for_display(values.phone.strip(), self.config.region))
            )
            contact = strings.ANSWER_CONTACT.format(
                method=strings.METHOD_LABELS[values.method.value], detail=detail
            )
        self.answers["method"].show_answer(contact)
        self.answers["best_time"].show_answer(strings.BEST_TIME_LABELS[values.best_time.value])
        topic = self.topics.value()
        self.answers["topic"].show_answer(
            self.topics.button_for(topic).text() if topic else strings.TOPIC_OTHER
        )
        self.answers["message"].show_answer(typed(values.message.strip()) or strings.NO_MESSAGE)

    # -- mistakes -------------------------------------------------------------
    def _problems(self) -> dict[str, str]:
        return check(self.form_input(), self.config.region)[1]

    def _placed(self, problems: dict[str, str]) -> dict[str, str]:
        """Each problem under the field that is on screen to fix it: a method's
        missing detail under that detail; none under a detail not asked for."""
        asked = self._detail_asked()
        placed: dict[str, str] = {}
        for key, message in problems.items():
            key = _NEEDS.get(message, key)
            if key in ("phone", "email") and key != asked:
                continue
            placed.setdefault(key, message)
        return placed

    def _detail_asked(self) -> str:
        """ "phone" or "email": the field the chosen method needs; "" before a choice."""
        method = self.methods.value()
        return Method(method).needs if method else ""

    def _show(self, problems: dict[str, str], keys: tuple[str, ...]) -> None:
        """Show ``problems`` under their fields; clear the other ``keys``' messages."""
        for key in keys:
            message = problems.get(key, "")
            self.fields[key].set_error(self._in_words(message))
            if message:
                self._shown[key] = message
            else:
                self._shown.pop(key, None)
        self._update_fix_list()
        if self._shown:
            announce(self, self.fix_count.text())

    def _recheck(self) -> None:
        """After any change: a message whose cause is fixed goes at once (one
        that changed is updated); no new message appears until Continue or Send."""
        if not self._shown:
            return
        now = self._placed(self._problems())
        changed = {key: now.get(key, "") for key, message in self._shown.items()}
        self._show(changed, tuple(changed))

    def _on_method_changed(self) -> None:
        """Only the detail the chosen method needs is asked for."""
        asked = self._detail_asked()
        self.fields["phone"].setVisible(asked == "phone")
        self.fields["email"].setVisible(asked == "email")
        self._recheck()

    def _update_fix_list(self) -> None:
        """The bar counts what is left to fix and lists it, each item going to
        its field; with nothing left, it goes."""
        count = len(self._shown)
        if self.bottom.isVisible():  # the bar shrinks by what goes: the viewport grows
            going: list[QWidget] = [
                item
                for key, item in self.fix_items.items()
                if item.isVisible() and key not in self._shown
            ]
            if not count and self.fix_count.isVisible():
                going.append(self.fix_count)
            self._hold_position(sum(widget.height() + FORM_GAP for widget in going))
        self.fix_count.setText(strings.things_to_fix(count) if count else "")
        self.fix_count.setVisible(bool(count))
        for key, item in self.fix_items.items():
            item.setVisible(key in self._shown)

    @staticmethod
    def _in_words(message: str) -> str:
        """A check's message in the patient's language (the core's are English)."""
        name = PROBLEM_NAMES.get(message)
        return strings.FORM_PROBLEMS.get(name, message) if name else message

    def shown_problems(self) -> dict[str, str]:
        """The messages under the fields now, by field, in the patient's language."""
        return {key: self._in_words(message) for key, message in self._shown.items()}

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
        announce(self, text)

    # -- the keyboard ---------------------------------------------------------
    def _text_fields(self) -> list[tuple[QWidget, KeyboardKind]]:
        return [
            (self.name_edit, KeyboardKind.NAME),
            (self.phone_edit, KeyboardKind.PHONE),
            (self.email_edit, KeyboardKind.EMAIL),
            (self.message_edit, KeyboardKind.TEXT),
        ]

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        for widget, kind in self._text_fields():
            if new is widget:
                if self.keyboard is not None:
                    self.keyboard.set_target(widget, kind)
                    # The bar goes before the keyboard comes: the field is not
                    # scrolled for a moment when both take room (a jump).
                    self.bottom.hide()  # Done brings Send back; the field gets the room
                    self.keyboard.show()
                self.keep_in_view(widget)
                return
        if new is not None and self.isAncestorOf(new):
            # The focus moved on to a choice, the consent box or Send (Tab, or
            # a switch accessory): the keyboard goes, and Home / Send come back.
            self._hide_keyboard()
            self.keep_in_view(new)

    def _hide_keyboard(self) -> None:
        """The keyboard goes and the bar comes back, with nothing above them moving."""
        if self.keyboard is not None and self.keyboard.isVisible():
            self._hold_position(self.keyboard.height())
            self.keyboard.hide()
            self.keyboard.set_target(None, KeyboardKind.TEXT)
        self.bottom.show()

    def _hold_position(self, growth: int) -> None:
        """The viewport is about to grow by up to ``growth`` px: hold that much
        room below the content, so the scroll position is not pulled back and
        what the finger is about to tap stays where it is. The room goes as
        the patient scrolls up (``_trim_reserve``) or changes step."""
        if growth <= 0:
            return
        self._reserve.setFixedHeight(self._reserve.height() + growth)
        # Now, not on a later pass of the event loop (when the viewport has
        # already grown and pulled the scroll position back): each layout from
        # the room outwards takes it, and the column grows by it.
        widget = self._reserve.parentWidget()
        while widget is not None and widget is not self.scroll_area.viewport():
            layout = widget.layout()
            if layout is not None:
                layout.activate()
            widget = widget.parentWidget()
        column = self.scroll_area.widget()
        assert column is not None
        column.resize(column.width(), column.height() + growth)

    def _trim_reserve(self, value: int) -> None:
        """Keep only the room the scroll position needs (none once the patient
        scrolls back to where the content ends)."""
        needed = value + self.scroll_area.viewport().height() - self._reserve.y()
        if needed < self._reserve.height():
            self._reserve.setFixedHeight(max(0, needed))

    def keep_in_view(self, widget: QWidget) -> None:
        """Scroll so ``widget``'s whole field (label, box, message) is in view;
        again once the layout has made room for the keyboard."""

        def scroll() -> None:
            field = next((f for f in self.fields.values() if f.control is widget), None)
            target = field if field is not None else widget
            if target.height() <= self.scroll_area.viewport().height() - 2 * VISIBLE_MARGIN:
                self.scroll_area.ensureWidgetVisible(target, 0, VISIBLE_MARGIN)
            else:
                self.scroll_area.ensureWidgetVisible(widget, 0, VISIBLE_MARGIN)

        scroll()
        QTimer.singleShot(0, self, scroll)

    def _keep_focus_in_view(self) -> None:
        focused = QApplication.focusWidget()
        if focused is not None and focused in [w for w, _kind in self._text_fields()]:
            self.keep_in_view(focused)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._keep_focus_in_view()  # the tablet was turned: the field stays in view

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab (or Shift+Tab) out of the message box: the bar comes back
        first, or Qt's walk would skip it (hidden under the keyboard) and go
        on to the top bar, and Continue could not be reached by Tab."""
        if not self.bottom.isVisible() and self.views.currentWidget() is self.form_view:
            self.bottom.show()
        return super().focusNextPrevChild(next)

    def focus_next_field(self) -> None:
        """The keyboard's Next (or Enter): the next box on this step; after the
        last, Continue."""
        order = [widget for widget, _kind in self._text_fields() if widget.isVisible()]
        current = QApplication.focusWidget()
        if current in order:
            index = order.index(current)
            if index + 1 < len(order):
                order[index + 1].setFocus(Qt.FocusReason.TabFocusReason)
                return
        if self.step == CHECK_STEP:
            self.close_keyboard()
        else:
            self.next_step()

    def close_keyboard(self) -> None:
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            focused.clearFocus()
        self._hide_keyboard()

    # -- checking and sending -------------------------------------------------
    def form_input(self) -> FormInput:
        """What the form holds; of the phone and the email, only the one the
        chosen method needs (the other may hold typing from an earlier choice)."""
        method = self.methods.value()
        asked = self._detail_asked()
        return FormInput(
            name=self.name_edit.text(),
            phone=self.phone_edit.text() if asked in ("phone", "") else "",
            email=self.email_edit.text() if asked in ("email", "") else "",
            method=Method(method) if method else None,
            best_time=BestTime(self.best_times.value() or BestTime.ANY.value),
            topic="" if self.topics.value() == OTHER_TOPIC else self.topics.value(),
            message=self.message_edit.toPlainText(),
            consent=self.consent.isChecked(),
        )

    def _update_count(self) -> None:
        count = len(self.message_edit.toPlainText().strip(" \t\n"))  # as check() counts
        template = strings.MESSAGE_OVER if count > MAX_MESSAGE else strings.MESSAGE_COUNT
        text = template.format(count=count, limit=MAX_MESSAGE, over=count - MAX_MESSAGE)
        self.count_label.setText(text)
        self.count_label.setProperty("over", count > MAX_MESSAGE)

    def send(self) -> None:
        """Check the form; save it; thank the patient only once it is saved."""
        if self._sending or self.views.currentWidget() is not self.form_view:
            return  # a double tap
        self._sending = True
        by_keys = self.send_button.hasFocus()
        self.send_button.setEnabled(False)  # (Qt moves the focus on, off the form)
        try:
            self._send()
        finally:
            self._sending = False
            self.send_button.setEnabled(True)
            if by_keys:
                # Pressed from the keys (a keypad, audio mode): the focus stays with
                # the form, on the thank-you's Done or back on Send, not on the bar's
                # "Need help now?", where the next Enter opened crisis help.
                thanked = self.views.currentWidget() is self.thanks_view
                again = self.done_button if thanked else self.send_button
                again.setFocus(Qt.FocusReason.OtherFocusReason)

    def _send(self) -> None:
        enquiry, problems = check(self.form_input(), self.config.region)
        if enquiry is None:
            placed = self._placed(problems)
            log.info("request form: %d field(s) to fix", len(placed))
            first = min((step_of(key) for key in placed), default=self.step)
            if first != self.step:
                self.go_to(first)  # the first mistake's step: its message beside its field
            self._show(placed, tuple(self.fields))
            self._reveal_first_mistake()
            return
        self._show({}, tuple(self.fields))
        self._show_notice("")
        try:
            if self.store is None and self._open_store is not None:
                self.store = self._open_store()
            if self.store is None:
                raise StoreError("unavailable", "there is no enquiry store (see above)")
            saved = self.store.save(self._form_key, enquiry.topic, enquiry.personal())
        except StoreError as exc:
            log.error("request not saved (%s): %s", exc.reason, exc)
            self._show_notice(strings.SAVE_FAILED)
            return
        except Exception as exc:
            # The type and where, not the message: a message could quote what was typed.
            where = "".join(traceback.format_tb(exc.__traceback__))
            log.error("request not saved: unexpected %s\n%s", type(exc).__name__, where)
            self._show_notice(strings.SAVE_FAILED)
            return
        log.info("request %d saved%s", saved.id, "" if saved.new else " (already saved)")
        if saved.new:
            self.saved.emit()
        self.close_keyboard()
        self.thanks_text.setText(
            self._thanks_sentence(enquiry.method, enquiry.phone, enquiry.email)
        )
        # The default is ours, so it is said in the patient's language; a
        # clinic's own words are its own (as the crisis card's front-desk line).
        own = self.config.reply_time
        reply_time = strings.REPLY_TIME if own == Config.reply_time else own
        self.thanks_when.setText(strings.THANK_YOU_WHEN.format(reply_time=reply_time))
        self.views.setCurrentWidget(self.thanks_view)
        self._fit_thanks()
        said = (self.thanks_title, self.thanks_text, self.thanks_when)
        announce(self, sentences(label.text() for label in said))
        self._thanks_timer.start(self.config.thank_you_seconds * 1000 * self.time_stretch())

    def _thanks_sentence(self, method: Method, phone: str, email: str) -> str:
        """ "We will text you at (801) 555-0100.": how, and where, in their words."""
        if method is Method.EMAIL:
            return strings.THANK_YOU_EMAIL.format(email=typed(email))  # wraps after "@" and dots
        template = strings.THANK_YOU_CALL if method is Method.CALL else strings.THANK_YOU_TEXT
        # The number on one line: never "(801)" on one and "555-0100" on the next.
        return template.format(phone=unbroken(phone_for_display(phone, self.config.region)))

    # -- leaving --------------------------------------------------------------
    def has_typing(self) -> bool:
        return any(
            (edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()).strip()
            for edit, _kind in self._text_fields()
            if isinstance(edit, QLineEdit | QPlainTextEdit)
        )

    def leave(self) -> None:
        """Home: straight there if nothing was typed; otherwise ask first."""
        if self.has_typing() and self.views.currentWidget() is self.form_view:
            # From the keys (Home has the focus only then), the card takes the
            # focus, as crisis help opened from the keys does; a tap leaves none.
            by_keys = self.home_button.hasFocus()
            self.close_keyboard()
            self.leave_overlay.open(take_focus=by_keys)
            return
        self.home.emit()

    def _clear_and_leave(self) -> None:
        self.wipe()
        self.home.emit()

    # -- forgetting -----------------------------------------------------------
    def wipe(self) -> None:
        """Forget the patient: fields, undo histories, choices, messages, the
        check page's answers, the keyboard's state, the clipboard; the first
        step and a new form key for the next one."""
        self._thanks_timer.stop()
        self.leave_overlay.hide()
        for edit in (self.name_edit, self.phone_edit, self.email_edit):
            edit.setText("")  # not clear(): clear() can be undone
        self.message_edit.setPlainText("")  # also empties its undo/redo stacks
        self.message_edit.document().clearUndoRedoStacks()
        self.methods.set_value("")
        self.best_times.set_value(BestTime.ANY.value)
        self.topics.set_value("")
        self._topic_preset = True
        self.consent.setChecked(False)
        self._show({}, tuple(self.fields))
        self._show_notice("")
        for row in self.answers.values():
            row.show_answer("")
        for label in (self.thanks_text, self.thanks_when):
            label.setText("")
        if self.keyboard is not None:
            self.keyboard.reset()
        self.close_keyboard()
        self.views.setCurrentWidget(self.form_view)
        self._return_to_check = False
        self.go_to(0)
        QGuiApplication.inputMethod().reset()  # a system keyboard's own suggestions
        clipboard = QGuiApplication.clipboard()
        clipboard.clear(QClipboard.Mode.Clipboard)
        if clipboard.supportsSelection():
            clipboard.clear(QClipboard.Mode.Selection)
        self._form_key = uuid.uuid4().hex

    @property
    def form_key(self) -> str:
        return self._form_key
