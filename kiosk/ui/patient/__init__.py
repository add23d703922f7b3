"""What patients see: home, pages, overlays, the request form, the keyboard, speech."""
