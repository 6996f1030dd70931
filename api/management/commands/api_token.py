"""`manage.py api_token create|list|revoke`: the owners' token page, from the shell."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api.models import ApiToken
from api.tokens import TokenError, create_token, revoke_token
from organizations.models import Membership, Organization, Role


class Command(BaseCommand):
    help = "Create, list or revoke an organisation's API tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a token and print it (shown once)")
        create.add_argument("--org", required=True, help="the organisation's slug")
        create.add_argument("--name", required=True)
        create.add_argument("--scopes", default="read", help="comma-separated: read,write,events")
        create.add_argument("--expires-days", type=int, help="expire after this many days")
        create.add_argument("--owner", help="the owner's email the token acts as (default: first)")
        listing = actions.add_parser("list", help="list the organisation's tokens")
        listing.add_argument("--org", required=True)
        revoke = actions.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("--org", required=True)
        revoke.add_argument("prefix", help="the token's first characters, as `list` shows them")

    def handle(self, *args, action, org, **options):
        organization = Organization.objects.filter(slug=org).first()
        if organization is None:
            raise CommandError(f"No organisation with the slug {org!r}.")
        getattr(self, f"_{action}")(organization, **options)

    def _owner(self, organization, email):
        owners = Membership.objects.filter(organization=organization, role=Role.OWNER)
        if email:
            owners = owners.filter(user__email__iexact=email)
        owner = owners.select_related("user").order_by("pk").first()
        if owner is None:
            raise CommandError(f"{email or 'Nobody'} is not an owner of {organization.slug}.")
        return owner.user

    def _create(self, organization, *, name, scopes, expires_days, owner, **_):
        expires = timezone.now() + timedelta(days=expires_days) if expires_days else None
        try:
            _row, token = create_token(
                organization=organization,
                created_by=self._owner(organization, owner),
                name=name,
                scopes=scopes.split(","),
                expires_at=expires,
            )
        except TokenError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(token)

    def _list(self, organization, **_):
        for token in ApiToken.objects.filter(organization=organization):
            state = (
                "revoked" if token.revoked_at else ("active" if token.is_usable() else "expired")
            )
            used = token.last_used_at.isoformat() if token.last_used_at else "never used"
            self.stdout.write(
                f"{token.prefix}  {token.name}  {','.join(token.scopes)}  {state}  {used}"
            )

    def _revoke(self, organization, *, prefix, **_):
        token = ApiToken.objects.filter(organization=organization, prefix=prefix).first()
        if token is None:
            raise CommandError(f"No token {prefix!r} in {organization.slug}.")
        revoke_token(token, by=None)
        self.stdout.write(f"Revoked {token}.")
