"""Staff mode on the tablet: the gesture, the PIN pad and the panel."""
