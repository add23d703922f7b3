"""Shipped resources (content, theme, deployment files), installed as ``kiosk.resources``."""
