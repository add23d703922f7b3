"""Patients' enquiries: the form's checks, the keys that seal them, the store, export."""
