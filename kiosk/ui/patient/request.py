"""The "Request information" screen: a touch form, its keyboard, the thank-you.

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

from PySide6.QtCore import QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QClipboard, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Config
from kiosk.content import Library
from kiosk.enquiries.form import MAX_MESSAGE, PROBLEMS, BestTime, FormInput, Method, check
from kiosk.enquiries.store import EnquiryStore, StoreError
from kiosk.ui.i18n import strings
from kiosk.ui.metrics import FORM_GAP, FORM_WIDTH, SCREEN_MARGIN
from kiosk.ui.patient.keyboard import KeyboardKind, OnScreenKeyboard
from kiosk.ui.patient.overlays import Overlay
from kiosk.ui.touch import TouchScroller
from kiosk.ui.widgets import Choices, announce, button, centred, text_label

log = logging.getLogger(__name__)

#: The core's English message → its name in ``strings.FORM_PROBLEMS``.
PROBLEM_NAMES = {message: name for name, message in PROBLEMS.items()}
#: Said when the form opens and no request can be saved (issue 18: a disk
#: remounted read-only); the lead moves it into strings.py.
OTHER_TOPIC = "_other"  # topic folders never start with "_" (the loader skips them)
VISIBLE_MARGIN = 24  # px kept between a focused field and the keyboard

# So that a system keyboard neither suggests nor learns what a patient types.
_PRIVATE_INPUT = Qt.InputMethodHint.ImhNoPredictiveText | Qt.InputMethodHint.ImhSensitiveData


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

    def __init__(self, label: str, control: QWidget, object_name: str, hint: str = "") -> None:
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
        if hint:
            layout.addWidget(text_label(hint, "fieldHint"))
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


class RequestScreen(QWidget):
    """The request form, and the thank-you that follows a saved request.

    Signals:
        home(): the Home button.
        finished(): the thank-you has been shown long enough (or tapped away);
            the window resets, which wipes the form.
    """

    home = Signal()
    finished = Signal()

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

        self.views = QStackedWidget()
        self.form_view = self._build_form()
        self.thanks_view = self._build_thanks()
        self.views.addWidget(self.form_view)
        self.views.addWidget(self.thanks_view)

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
        self._update_methods()
        self._update_count()

    # -- building -------------------------------------------------------------
    def _build_form(self) -> QWidget:
        """The form: its controls, each in a labelled field, in a scrolling
        column; Home and Send in a bar below."""
        self._make_controls()
        self.fields = self._make_fields()
        self.scroll_area = self._make_scroll_area(self._make_column())
        self.bottom = self._make_bottom_bar()
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
        self.name_edit = self._line_edit("nameEdit")
        self.phone_edit = self._line_edit("phoneEdit", Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.email_edit = self._line_edit("emailEdit", Qt.InputMethodHint.ImhEmailCharactersOnly)
        self.message_edit = QPlainTextEdit()
        self.message_edit.setObjectName("messageEdit")
        self.message_edit.setTabChangesFocus(True)
        self.message_edit.setInputMethodHints(_PRIVATE_INPUT)
        self.message_edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.message_edit.textChanged.connect(self._update_count)
        self.methods = Choices(
            [(m.value, strings.METHOD_LABELS[m.value]) for m in Method], "methodChoices"
        )
        self.best_times = Choices(
            [(t.value, strings.BEST_TIME_LABELS[t.value]) for t in BestTime], "timeChoices"
        )
        self.topics = Choices([], "topicChoices")
        self.topics.picked.connect(self._on_topic_picked)
        self.consent = ConsentBox(strings.CONSENT)
        self.phone_edit.textChanged.connect(self._update_methods)
        self.email_edit.textChanged.connect(self._update_methods)

    def _make_fields(self) -> dict[str, Field]:
        """Each control with its label, hint and error message, by the name
        ``check()`` reports problems under; the message's count below its box."""
        fields = {
            "name": Field(strings.FIELD_NAME, self.name_edit, "nameField"),
            "phone": Field(
                strings.FIELD_PHONE, self.phone_edit, "phoneField", strings.FIELD_REACH_HINT
            ),
            "email": Field(strings.FIELD_EMAIL, self.email_edit, "emailField"),
            "method": Field(
                strings.FIELD_METHOD, self.methods, "methodField", strings.FIELD_METHOD_HINT
            ),
            "best_time": Field(strings.FIELD_BEST_TIME, self.best_times, "timeField"),
            "topic": Field(strings.FIELD_TOPIC, self.topics, "topicField"),
            "message": Field(strings.FIELD_MESSAGE, self.message_edit, "messageField"),
            "consent": Field("", self.consent, "consentField"),
        }
        fields["consent"].label.hide()
        self.count_label = text_label("", "messageCount")
        message_layout = fields["message"].layout()
        assert isinstance(message_layout, QVBoxLayout)
        message_layout.insertWidget(3, self.count_label)
        return fields

    def _make_column(self) -> QWidget:
        """The title, the fields in order and the privacy note, in a column
        of at most ``FORM_WIDTH``, centred."""
        inner = QWidget()
        inner.setObjectName("requestInner")
        column = QVBoxLayout(inner)
        column.setContentsMargins(
            SCREEN_MARGIN + 8, SCREEN_MARGIN, SCREEN_MARGIN + 8, SCREEN_MARGIN
        )
        column.setSpacing(FORM_GAP * 2)
        column.addWidget(text_label(strings.REQUEST_TITLE, "pageTitle"))
        column.addWidget(text_label(strings.REQUEST_INTRO, "formIntro"))
        for key in ("name", "phone", "email", "method", "best_time", "topic", "message"):
            column.addWidget(self.fields[key])
        column.addWidget(self.fields["consent"])
        column.addWidget(text_label(strings.PRIVACY_NOTE, "privacyNote"))
        column.addStretch(1)
        holder = QWidget()
        holder.setObjectName("requestInner")
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(inner)
        outer = QWidget()
        outer.setObjectName("requestInner")
        outer.setLayout(centred(holder, FORM_WIDTH))
        return outer

    def _make_scroll_area(self, column: QWidget) -> QScrollArea:
        """The column scrolls, by finger too, wherever the finger lands."""
        area = QScrollArea()
        area.setObjectName("requestScroll")
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields
        area.setWidgetResizable(True)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(column)
        self.scroller = TouchScroller(area)
        for widget in column.findChildren(QWidget):
            self.scroller.track(widget)
        return area

    def _make_bottom_bar(self) -> QWidget:
        """A notice ("Please check..."), then Home and Send."""
        self.notice = text_label("", "formNotice")
        self.notice.hide()
        self.home_button = button(strings.HOME, "quiet", "requestHome")
        self.home_button.clicked.connect(self.leave)
        self.send_button = button(strings.SEND, "big", "sendButton")
        self.send_button.clicked.connect(self.send)
        bar = QWidget()
        bar.setObjectName("formBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        bottom = QVBoxLayout(bar)
        bottom.setContentsMargins(SCREEN_MARGIN, FORM_GAP, SCREEN_MARGIN, FORM_GAP)
        bottom.setSpacing(FORM_GAP)
        bottom.addWidget(self.notice)
        row = QHBoxLayout()
        row.setSpacing(FORM_GAP * 2)
        row.addWidget(self.home_button)
        row.addStretch(1)
        row.addWidget(self.send_button)
        bottom.addLayout(row)
        return bar

    def _line_edit(
        self, object_name: str, hint: Qt.InputMethodHint = Qt.InputMethodHint.ImhNone
    ) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(object_name)
        edit.setInputMethodHints(_PRIVATE_INPUT | hint)
        edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        edit.setClearButtonEnabled(False)
        edit.returnPressed.connect(self.focus_next_field)
        return edit

    def _build_thanks(self) -> QWidget:
        view = QWidget()
        view.setObjectName("thanksView")
        layout = QVBoxLayout(view)
        margin = SCREEN_MARGIN * 2
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(FORM_GAP * 2)
        layout.addStretch(1)
        self.thanks_title = text_label(strings.THANK_YOU_TITLE, "thanksTitle")
        self.thanks_text = text_label("", "thanksText")
        self.thanks_back = text_label(strings.THANK_YOU_BACK, "thanksBack")
        for label in (self.thanks_title, self.thanks_text, self.thanks_back):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            layout.addWidget(label)
        self.done_button = button(strings.DONE, "big", "thanksDone")
        self.done_button.clicked.connect(self.finished)
        layout.addLayout(centred(self.done_button))
        layout.addStretch(2)
        return view

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
                    self.keyboard.show()
                    self.bottom.hide()  # Done brings Send back; the field gets the room
                self.keep_in_view(widget)
                return
        if new is not None and self.isAncestorOf(new):
            # The focus moved on to a choice, the consent box or Send (Tab, or
            # a switch accessory): the keyboard goes, and Home / Send come back.
            if self.keyboard is not None and self.keyboard.isVisible():
                self.keyboard.hide()
                self.keyboard.set_target(None, KeyboardKind.TEXT)
            self.bottom.show()
            self.keep_in_view(new)

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

    def focus_next_field(self) -> None:
        order = [widget for widget, _kind in self._text_fields()]
        current = QApplication.focusWidget()
        if current in order:
            index = order.index(current)
            if index + 1 < len(order):
                order[index + 1].setFocus(Qt.FocusReason.TabFocusReason)
                return
        self.close_keyboard()

    def close_keyboard(self) -> None:
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            focused.clearFocus()
        if self.keyboard is not None:
            self.keyboard.hide()
            self.keyboard.set_target(None, KeyboardKind.TEXT)
        self.bottom.show()

    # -- checking and sending -------------------------------------------------
    def form_input(self) -> FormInput:
        method = self.methods.value()
        return FormInput(
            name=self.name_edit.text(),
            phone=self.phone_edit.text(),
            email=self.email_edit.text(),
            method=Method(method) if method else None,
            best_time=BestTime(self.best_times.value() or BestTime.ANY.value),
            topic="" if self.topics.value() == OTHER_TOPIC else self.topics.value(),
            message=self.message_edit.toPlainText(),
            consent=self.consent.isChecked(),
        )

    def _update_methods(self) -> None:
        has_phone = bool(self.phone_edit.text().strip())
        has_email = bool(self.email_edit.text().strip())
        self.methods.set_offered(Method.CALL.value, has_phone)
        self.methods.set_offered(Method.TEXT.value, has_phone)
        self.methods.set_offered(Method.EMAIL.value, has_email)
        if has_email and not has_phone and not self.methods.value():
            self.methods.set_value(Method.EMAIL.value)  # the only way left: no need to ask

    def _update_count(self) -> None:
        count = len(self.message_edit.toPlainText().strip(" \t\n"))  # as check() counts
        template = strings.MESSAGE_OVER if count > MAX_MESSAGE else strings.MESSAGE_COUNT
        text = template.format(count=count, limit=MAX_MESSAGE, over=count - MAX_MESSAGE)
        self.count_label.setText(text)
        self.count_label.setProperty("over", count > MAX_MESSAGE)

    @staticmethod
    def _in_words(message: str) -> str:
        """A check's message in the patient's language (the core's are English)."""
        name = PROBLEM_NAMES.get(message)
        return strings.FORM_PROBLEMS.get(name, message) if name else message

    def show_problems(self, problems: dict[str, str]) -> None:
        problems = {key: self._in_words(message) for key, message in problems.items()}
        for key, field in self.fields.items():
            field.set_error(problems.get(key, ""))
        if problems:
            self._show_notice(strings.CHECK_FIELDS)
            first = next(f for key, f in self.fields.items() if key in problems)
            self.scroll_area.ensureWidgetVisible(first, 0, VISIBLE_MARGIN)
        else:
            self._show_notice("")

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
        announce(self, text)

    def send(self) -> None:
        """Check the form; save it; thank the patient only once it is saved."""
        if self._sending or self.views.currentWidget() is not self.form_view:
            return  # a double tap
        self._sending = True
        self.send_button.setEnabled(False)
        try:
            self._send()
        finally:
            self._sending = False
            self.send_button.setEnabled(True)

    def _send(self) -> None:
        enquiry, problems = check(self.form_input(), self.config.region)
        self.show_problems(problems)
        if enquiry is None:
            log.info("request form: %d field(s) to fix", len(problems))
            return
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
        self.close_keyboard()
        self.thanks_text.setText(
            strings.THANK_YOU.format(method=strings.METHOD_PHRASES[enquiry.method.value])
        )
        self.views.setCurrentWidget(self.thanks_view)
        announce(self, f"{strings.THANK_YOU_TITLE}. {self.thanks_text.text()}")
        self._thanks_timer.start(self.config.thank_you_seconds * 1000)

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
            self.close_keyboard()
            self.leave_overlay.open()
            return
        self.home.emit()

    def _clear_and_leave(self) -> None:
        self.wipe()
        self.home.emit()

    # -- forgetting -----------------------------------------------------------
    def wipe(self) -> None:
        """Forget the patient: fields, undo histories, choices, messages, the
        keyboard's state, the clipboard; a new form key for the next one."""
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
        self.show_problems({})
        self.thanks_text.setText("")
        if self.keyboard is not None:
            self.keyboard.reset()
        self.close_keyboard()
        self.views.setCurrentWidget(self.form_view)
        self.scroller.stop()
        self.scroll_area.verticalScrollBar().setValue(0)
        QGuiApplication.inputMethod().reset()  # a system keyboard's own suggestions
        clipboard = QGuiApplication.clipboard()
        clipboard.clear(QClipboard.Mode.Clipboard)
        if clipboard.supportsSelection():
            clipboard.clear(QClipboard.Mode.Selection)
        self._form_key = uuid.uuid4().hex

    @property
    def form_key(self) -> str:
        return self._form_key
