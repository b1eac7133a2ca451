from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Account behaviour specific to the platform (hook for invitations into enterprises)."""
