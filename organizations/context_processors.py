from django.utils.functional import SimpleLazyObject

from .selectors import memberships_for_user


def memberships(request):
    """The navbar's organisation switcher. Lazy: pages that never show it run no query."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"my_memberships": SimpleLazyObject(lambda: list(memberships_for_user(user)))}
