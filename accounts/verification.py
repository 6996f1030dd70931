"""Whether a user has proved they own their current email address (allauth's EmailAddress).

Accepting an invitation and signing both rely on the address, so both require it verified.
"""

from allauth.account.models import EmailAddress


def verified_email(user) -> str:
    """The user's current (primary) address if it is verified, else ""."""
    if not getattr(user, "is_authenticated", False) or not user.email:
        return ""
    verified = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True)
    return user.email if verified.exists() else ""
