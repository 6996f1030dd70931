class SealError(ValueError):
    """Sealing credentials are unusable; the message can be shown to the user as is."""
