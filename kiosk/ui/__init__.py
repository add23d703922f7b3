"""The Qt user interface. The only part of the kiosk that imports PySide6."""
