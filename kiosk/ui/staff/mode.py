"""Staff mode in the running kiosk: the hidden gesture → the PIN pad → the
panel, and ``lock()``, the one way out (docs/architecture.md, "Staff mode on
the tablet")."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QClipboard, QGuiApplication

from kiosk.enquiries.drives import Drive, removable_drives
from kiosk.ui.staff.entry import StaffGesture, make_gesture

# The accounts, the audit log, the PIN pad and the panel are imported when the
# gesture is first made: none of it is needed, or held in memory, for patients.
if TYPE_CHECKING:
    from kiosk.enquiries.keys import KdfParams
    from kiosk.enquiries.store import EnquiryStore
    from kiosk.page_views import PageViews
    from kiosk.paths import Paths
    from kiosk.staff.accounts import Session, StaffAccounts
    from kiosk.staff.audit import AuditLog
    from kiosk.ui.reload import LiveReload
    from kiosk.ui.staff.context import OfficeLinkStatus, PanelContext
    from kiosk.ui.staff.panel import StaffPanel
    from kiosk.ui.staff.pinpad import PinPad, SignInService
    from kiosk.ui.staff.setup import SetupScreen
    from kiosk.ui.window import KioskWindow

log = logging.getLogger("kiosk.staff.accounts")


#: The kiosk's exit status when staff leave kiosk mode on purpose (as
#: kiosk.support.leave.LEFT_KIOSK_MODE). cage 0.1.x does not pass it on, so the
#: flag file that exit_kiosk writes is what keeps the kiosk from starting again.
LEFT_KIOSK_MODE = 75


def _quit_app() -> None:
    # exit(), not quit(): since Qt 6, quit() first asks every window to close,
    # and the kiosk window refuses.
    QCoreApplication.exit(LEFT_KIOSK_MODE)


class StaffMode(QObject):
    """The gesture, the PIN pad and the panel, wired to one kiosk window.

    Signals:
        panel_opened(): a staff member signed in; the panel is up.
        locked(): the panel was closed and deleted; the window is at home.
    """

    panel_opened = Signal()
    locked = Signal()

    def __init__(
        self,
        window: KioskWindow,
        paths: Paths,
        *,
        stores: Callable[[], EnquiryStore | None],
        reload: Callable[[], LiveReload | None] = lambda: None,
        page_views: PageViews | None = None,
        accounts: StaffAccounts | None = None,
        audit_log: AuditLog | None = None,
        kdf: KdfParams | None = None,
        drives: Callable[[], list[Drive]] = removable_drives,
        quit_app: Callable[[], None] = _quit_app,
        pad_idle_ms: int | None = None,
        tick_ms: int | None = None,
        office_link: Callable[[], OfficeLinkStatus | None] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.paths = paths
        self._stores = stores
        self._reload = reload
        self.page_views = page_views
        self._accounts = accounts
        self._audit_log = audit_log
        self._kdf = kdf
        self._service: SignInService | None = None
        self._drives = drives
        self._quit_app = quit_app
        self._pad_idle_ms = pad_idle_ms
        self._tick_ms = tick_ms
        self._office_link = office_link  # None: the kiosk is not enrolled
        self.audit_problem = ""  # the last failure to write the audit log, for the panel
        self.pad: PinPad | None = None
        self.setup: SetupScreen | None = None
        self.panel: StaffPanel | None = None
        self._context: PanelContext | None = None
        self._ending = False
        self.gesture: StaffGesture | None = None
        self._gesture_key: tuple[str, float] | None = None
        self.install_gesture()
        window.was_reset.connect(self.on_patient_reset)

    @property
    def accounts(self) -> StaffAccounts:
        if self._accounts is None:
            from kiosk.staff.accounts import StaffAccounts  # staff-only: on the first gesture

            self._accounts = StaffAccounts(
                self.paths.staff_file,
                self.paths.keys_file,
                kdf=self._kdf,
                min_pin_length=self.window.config.min_pin_length,
            )
        return self._accounts

    @property
    def audit_log(self) -> AuditLog:
        if self._audit_log is None:
            from kiosk.staff.audit import AuditLog  # staff-only: on the first gesture

            self._audit_log = AuditLog(self.paths.audit_file)
        return self._audit_log

    @property
    def service(self) -> SignInService:
        if self._service is None:
            from kiosk.ui.staff.pinpad import SignInService  # staff-only: on the first gesture

            self._service = SignInService(self.accounts, self._sign_in_audit, self)
        return self._service

    # -- the way in -----------------------------------------------------------------
    def install_gesture(self) -> None:
        """The config's gesture (again, if a reload changed it)."""
        config = self.window.config
        key = (config.staff_gesture, float(config.staff_hold_seconds))
        if key == self._gesture_key and self.gesture is not None:
            return
        if self.gesture is not None:
            self.gesture.uninstall()
            self.gesture.deleteLater()
        self._gesture_key = key
        self.gesture = make_gesture(key[0], self.window, self.window.clinic_name, key[1])
        self.gesture.triggered.connect(self.open_pad)

    def open_pad(self, name: str = "") -> None:
        """The PIN pad (at ``name``'s PIN, if given), unless it, the panel or the
        set-up screen is already open; "Set up staff access" when there is no account."""
        if self.pad is not None or self.panel is not None or self.setup is not None:
            return
        if self._no_accounts():
            self.open_setup()
            return
        from kiosk.ui.staff.pinpad import IDLE_MS, TICK_MS, PinPad  # staff-only: on the gesture

        pad = PinPad(
            self.window,
            self.service,
            idle_ms=self._pad_idle_ms or IDLE_MS,
            tick_ms=self._tick_ms or TICK_MS,
            show_names=self.window.config.staff_show_names,
        )
        pad.signed_in.connect(self.open_panel)
        pad.closed.connect(self.close_pad)
        self.pad = pad
        pad.open()
        if name:
            pad.choose(name)

    def _no_accounts(self) -> bool:
        """No account at all (a staff file that cannot be read is not "none": the
        pad says what is wrong with it)."""
        from kiosk.staff.accounts import StaffError  # staff-only: on the first gesture

        try:
            return not self.accounts.names()
        except StaffError:
            return False

    def close_pad(self) -> None:
        pad, self.pad = self.pad, None
        if pad is not None:
            pad.dispose()

    # -- the first account ---------------------------------------------------------
    def open_setup(self) -> None:
        """ "Set up staff access": the first account, with the recovery code."""
        from kiosk.ui.staff.setup import TICK_MS, SetupScreen  # staff-only: the first time

        setup = SetupScreen(
            self.window,
            self.accounts,
            self._audit,
            tick_ms=self._tick_ms or TICK_MS,
        )
        setup.closed.connect(self.close_setup)
        setup.done.connect(self._set_up)
        self.setup = setup
        setup.open()

    def close_setup(self) -> None:
        setup, self.setup = self.setup, None
        if setup is not None:
            setup.dispose()

    def _set_up(self, name: str) -> None:
        """The first account is made: its PIN next, on the pad."""
        self.close_setup()
        self.open_pad(name)

    # -- the panel -----------------------------------------------------------------
    def open_panel(self, session: Session) -> None:
        self.close_pad()
        if self.panel is not None:
            return
        # Whatever a patient left under the pad (a page, a half-typed form,
        # large text) is forgotten first: the panel starts from a clean kiosk,
        # in the clinic's theme. (was_reset comes back here with nothing open.)
        self.window.reset()
        store = self._stores()
        # Staff-only, and the tabs with it: imported on the first sign-in.
        from kiosk.ui.staff.context import PanelContext, no_office_link
        from kiosk.ui.staff.panel import StaffPanel

        self._context = PanelContext(
            window=self.window,
            paths=self.paths,
            store=store,
            audit=self._panel_audit,
            audit_log=self.audit_log,
            page_views=self.page_views,
            reload=self._reload(),
            drives=self._drives,
            audit_problem=lambda: self.audit_problem,
            accounts=self.accounts,
            office_link=self._office_link or no_office_link,
        )
        # The patients' idle clock must not reset the kiosk under the panel;
        # the panel has its own (staff_lock_seconds).
        self.window.idle.stop()
        lock_ms = max(1, int(self.window.config.staff_lock_seconds * 1000))
        panel = StaffPanel(self.window, self._context, session, lock_ms=lock_ms)
        panel.lock_requested.connect(self.lock)
        panel.exit_requested.connect(self.exit_kiosk)
        self.panel = panel
        panel.open()
        log.info("staff panel opened")
        self.panel_opened.emit()

    @property
    def session(self) -> Session | None:
        return self._context.session if self._context is not None else None

    def lock(self, reason: str = "staff") -> None:
        """End staff mode: nothing of the panel is left, the window is back home."""
        if self._ending:
            return
        self._ending = True
        try:
            was_open = self._end_panel(reason)
            if was_open:
                log.info("staff panel locked (%s)", reason)
            _clear_clipboard()
            if was_open:
                self.window.reset()
                self.window.idle.start()
                self.locked.emit()
        finally:
            self._ending = False

    def on_patient_reset(self) -> None:
        """The idle reset or a recovery: close the pad, lock the panel."""
        if self._ending:
            return
        self.close_pad()
        self.close_setup()
        if self.panel is not None:
            self.lock("reset")

    def exit_kiosk(self) -> None:
        """Leave kiosk mode: log it, lock, then end the application cleanly."""
        self._audit(_member_name(self._context), "exit")
        self.lock("exit")
        log.info("leaving kiosk mode at a staff member's request")
        from kiosk.support import leave  # like the rest of staff mode: loaded when used

        try:
            leave.mark_left(self.paths.data_dir)
        except OSError:
            log.exception("the left-kiosk-mode flag was not written: the kiosk may start again")
        self._quit_app()

    def _end_panel(self, reason: str) -> bool:
        """Close the pad; audit, delete and forget the panel and its session.
        Returns whether a panel was open."""
        self.close_pad()
        self.close_setup()
        panel, self.panel = self.panel, None
        context, self._context = self._context, None
        if panel is not None:
            self._audit(_member_name(context), "lock", reason=reason)
            panel.dispose()
        if context is not None:
            context.session = None
        return panel is not None

    # -- the audit log ---------------------------------------------------------------
    def _panel_audit(self, action: str, **details: str | int) -> None:
        self._audit(_member_name(self._context), action, **details)

    def _sign_in_audit(self, actor: str, action: str, **details: str | int) -> None:
        """A sign-in's entry, its actor named as the account is (or "(unknown name)"):
        an account removed from a terminal while its button was on the pad is no
        account now, and a name that matches none is never written down."""
        self._audit(self.accounts.actor_for(actor), action, **details)

    def _audit(self, actor: str, action: str, **details: str | int) -> None:
        """Write one entry; a failure is logged and shown in the panel, never raised."""
        from kiosk.staff.audit import AuditError  # staff-only: on the first gesture

        try:
            self.audit_log.append(actor, action, **details)
        except AuditError as exc:
            self.audit_problem = exc.message
            log.error("%s", exc.message)
        except Exception as exc:
            self.audit_problem = f"The audit log could not be written ({type(exc).__name__})."
            log.exception("audit log")
        else:
            self.audit_problem = ""

    def shutdown(self) -> None:
        """At exit (the window is going): end staff mode without touching the
        window, stop watching for the gesture, wait for a PIN check still running."""
        self._end_panel("shutdown")
        if self.gesture is not None:
            self.gesture.uninstall()
            self.gesture = None
        if self._service is not None:
            self._service.wait(5.0)


def _member_name(context: PanelContext | None) -> str:
    """The signed-in member's name, for the audit log ("" when none is)."""
    return context.session.name if context and context.session else ""


def _clear_clipboard() -> None:
    clipboard = QGuiApplication.clipboard()
    if clipboard is None:
        return
    clipboard.clear(QClipboard.Mode.Clipboard)
    if clipboard.supportsSelection():
        clipboard.clear(QClipboard.Mode.Selection)
