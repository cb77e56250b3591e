"""Who did something, as it is stored: a signed-in user, or nobody."""

from django.contrib.auth.models import AnonymousUser, User


def saved_user(user: User | AnonymousUser | None) -> User | None:
    """The user to store as an author or actor: ``None`` for nobody, an anonymous visitor or a
    user not saved (the demo's and the commands' work is nobody's)."""
    if isinstance(user, User) and user.pk:
        return user
    return None
