"""Login events come from Django's and axes' signals: the login view belongs to accounts, the record here."""

from audit.log import record
from audit.models import Result


def logged_in(sender, request, user, **kwargs):
    record("login", request=request, user=user)


def logged_out(sender, request, user, **kwargs):
    if user is not None:  # logging out an anonymous session is no event
        record("logout", request=request, user=user)


def login_failed(sender, credentials, request=None, **kwargs):
    # `credentials` comes cleansed by Django: the password is never here.
    username = str(credentials.get("username", ""))
    record("login_failed", request=request, username=username, result=Result.FAILURE, detail={"username": username})


def locked_out(sender, request, username, ip_address, **kwargs):
    record("lockout", request=request, username=username or "", result=Result.REFUSED, detail={"username": username})
