"""Who must use a second factor: superusers, and staff unless every group of theirs has turned it off."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from staffauth.models import GroupSignInRule, second_factor_required

pytestmark = pytest.mark.django_db


def make_staff(django_user_model, *groups, username="someone", **fields):
    user = django_user_model.objects.create_user(username, is_staff=True, **fields)
    user.groups.add(*groups)
    return user


def test_both_staff_groups_require_it_from_the_data_migration():
    rules = GroupSignInRule.objects.filter(group__name__in=["Admissions", "Content editors"])
    assert [rule.second_factor_required for rule in rules] == [True, True]


def test_superusers_always_need_it(django_user_model):
    relaxed = Group.objects.create(name="Relaxed")
    GroupSignInRule.objects.create(group=relaxed, second_factor_required=False)
    assert second_factor_required(make_staff(django_user_model, relaxed, is_superuser=True))


def test_staff_need_it_unless_every_group_of_theirs_has_turned_it_off(django_user_model):
    admissions = Group.objects.get(name="Admissions")
    relaxed = Group.objects.create(name="Relaxed")
    GroupSignInRule.objects.create(group=relaxed, second_factor_required=False)
    user = make_staff(django_user_model, relaxed)
    assert not second_factor_required(user)
    user.groups.add(admissions)
    assert second_factor_required(user)


def test_a_group_without_a_rule_and_staff_in_no_group_need_it(django_user_model):
    assert second_factor_required(make_staff(django_user_model))
    user = make_staff(django_user_model, Group.objects.create(name="New group"), username="other")
    assert second_factor_required(user)


def test_people_who_are_not_staff_never_get_the_second_step(django_user_model):
    assert not second_factor_required(django_user_model.objects.create_user("visitor"))


@pytest.mark.django_db(transaction=True)
def test_the_staff_groups_get_their_rules_back_after_a_flush(django_user_model):
    """Transactional tests (the browser tests) flush the database; the rules must not vanish for the tests,
    or the operator, that come after."""
    call_command("flush", interactive=False, verbosity=0)
    rules = GroupSignInRule.objects.filter(group__name__in=["Admissions", "Content editors"])
    assert [rule.second_factor_required for rule in rules] == [True, True]
    assert second_factor_required(make_staff(django_user_model, Group.objects.get(name="Content editors")))


@pytest.mark.django_db(transaction=True)
def test_a_rule_turned_off_is_kept_when_migrations_run_again(django_user_model):
    GroupSignInRule.objects.filter(group__name="Content editors").update(second_factor_required=False)
    call_command("migrate", verbosity=0)
    assert not GroupSignInRule.objects.get(group__name="Content editors").second_factor_required
