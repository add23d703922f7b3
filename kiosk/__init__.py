"""A fullscreen, touch-first waiting-room kiosk for clinics.

The core (this package, except ``kiosk.ui``) is plain Python: paths, config,
content. Only ``kiosk.ui`` imports Qt.
"""

__version__ = "0.1.0"
APP_NAME = "clinic-kiosk"
