class DomainError(Exception):
    """A business rule refused an action. The message is written for the user who tried it."""
