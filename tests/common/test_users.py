from django.contrib.auth.models import AnonymousUser, User

from suhde.common.users import saved_user
from tests.factories import UserFactory


def test_only_a_saved_user_is_stored_as_who_did_it(db):
    user = UserFactory()
    assert saved_user(user) is user
    assert saved_user(None) is None
    assert saved_user(AnonymousUser()) is None
    assert saved_user(User(username="not-saved")) is None
