"""The staff panel's tabs, one module each."""
