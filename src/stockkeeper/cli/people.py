"""``stockkeeper user create|reset``: people who sign in to the web UI, and the one-time
links that let them in (printed, to hand over); the demo's person for ``stockkeeper demo``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DEMO_EMAIL = "demo@example.com"


def register(app: typer.Typer) -> None:
    """Adds ``user`` to the command line."""
    users = typer.Typer(help="People who sign in to the web UI.", no_args_is_help=True)
    users.command("create")(user_create)
    users.command("reset")(user_reset)
    app.add_typer(users, name="user")


def user_create(
    company: Annotated[str, typer.Option(help="Company id")],
    email: Annotated[str, typer.Option(help="The person's email, which they sign in with")],
    role: Annotated[str, typer.Option(help="admin, clerk or viewer")],
    name: Annotated[str, typer.Option(help="Their name as the UI shows it")] = "",
) -> None:
    """Add a person to a company with a role; prints a one-time link to set their password
    (valid three days). A person who has an account already is only added to the company."""
    from stockkeeper.cli import _unit_of_work, _values
    from stockkeeper.people.service.accounts import NewMember, add_member
    from stockkeeper.tenancy.service import Actor

    member = _values(NewMember, email=email, role=role, name=name)
    with _unit_of_work() as session:
        added = add_member(session, Actor.system(company, "cli"), member=member)
    if added.link_token is None:
        typer.echo(f"{added.member.email} has an account: they sign in as before", err=True)
    else:
        typer.echo(link("set-password", added.link_token))


def user_reset(
    email: Annotated[str, typer.Option(help="The person's email")],
) -> None:
    """Print a one-time link to set a new password (valid one hour)."""
    from stockkeeper.cli import _unit_of_work
    from stockkeeper.core.errors import NotFound
    from stockkeeper.people.service.signing_in import reset_link

    with _unit_of_work() as session:
        found = reset_link(session, email=email)
        if found is None:
            raise NotFound("account", email)
    typer.echo(link("set-password", found[1]))


def link(page: str, token: str) -> str:
    """The page's address for the token, where people reach ``stockkeeper serve`` by the
    same settings."""
    from stockkeeper.core.settings import load_settings

    return load_settings().web_link(f"/{page}/{token}")


def demo_sign_in(session: Session, company_id: str) -> str:
    """A one-time sign-in link for the demo's person (an admin of the demo company, added if
    missing), valid one hour."""
    from stockkeeper.people.models import Membership
    from stockkeeper.people.service.accounts import NewMember, add_member, find_account
    from stockkeeper.people.service.links import SIGN_IN_LINK_LIFETIME, issue_link
    from stockkeeper.tenancy.service import Actor

    account = find_account(session, DEMO_EMAIL)
    if account is None or session.get(Membership, (company_id, account.id)) is None:
        member = NewMember(email=DEMO_EMAIL, name="Demo Admin", role="admin")
        added = add_member(session, Actor.system(company_id, "cli"), member=member)
        account_id = added.member.account_id
    else:
        account_id = account.id
    token = issue_link(
        session, account_id=account_id, purpose="sign_in", lifetime=SIGN_IN_LINK_LIFETIME
    )
    return link("sign-in/link", token)
