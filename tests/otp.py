"""Test helpers for the second factor: the code an authenticator app would show, and binding one
through the real pages, as a person would."""

import re
import time
from base64 import b32decode

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for_key(key, last_t=-1, drift=0, step=30, digits=6):
    """The code an authenticator holding `key` shows now, or — when a code for this time step was just
    accepted (the device refuses it a second time) — the next step's, which the one-step tolerance
    accepts. Waits for the next step if neither is usable."""
    while True:
        totp = TOTP(key, step=step, digits=digits, drift=drift)
        totp.time = time.time()
        for offset in (0, 1):
            totp.drift = drift + offset
            if totp.t() > last_t:
                return f"{totp.token():0{digits}d}"
        time.sleep(1)


def code_for_device(device):
    device.refresh_from_db()
    return code_for_key(device.bin_key, device.last_t, device.drift, device.step, device.digits)


def code_for(user, confirmed=True):
    return code_for_device(TOTPDevice.objects.filter(user=user, confirmed=confirmed).latest("pk"))


def secret_from_page(html):
    """The Base32 key the enrolment page shows for typing by hand, as bytes."""
    groups = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', html).group(1)
    return b32decode(groups.replace(" ", ""))


def enrol(client, user):
    """Bind an authenticator through the enrolment page: read the key shown, type its code. Returns the
    response showing the recovery codes."""
    page = client.get(reverse("accounts:two_factor_setup"))
    assert page.status_code == 200, page
    data = {"code": code_for_key(secret_from_page(page.content.decode()))}
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():  # a new phone: the old one's code too
        data["current_code"] = code_for(user)
    response = client.post(reverse("accounts:two_factor_setup"), data)
    assert response.status_code == 200 and "您的恢复码" in response.content.decode()
    return response


def recovery_codes(response):
    return re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", response.content.decode())


def complete_second_factor(client, user):
    """Leave a signed-in test client's session as django_otp.login() does after a correct code: verified
    by a confirmed authenticator of this user (bound here if the user has none yet)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
