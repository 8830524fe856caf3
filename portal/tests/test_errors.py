"""Errors are friendly Chinese pages; a server error carries a reference number that is in the log."""

import logging
import re

import pytest
from django.test import Client, override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.urls("portal.tests.error_urls")]

REFERENCE = re.compile(r"E\d{8}-[0-9A-F]{6}")


@pytest.fixture
def browser_client():
    return Client(raise_request_exception=False)


@override_settings(DEBUG=False)
def test_a_server_error_shows_a_reference_number_that_the_log_holds_with_the_traceback(browser_client, caplog):
    with caplog.at_level(logging.ERROR, logger="shenbao.errors"):
        response = browser_client.get("/broken/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "系统繁忙" in page and "Traceback" not in page and "RuntimeError" not in page
    reference = REFERENCE.search(page).group()
    assert response["X-Error-Reference"] == reference
    logged = [r for r in caplog.records if r.name == "shenbao.errors"]
    assert len(logged) == 1 and reference in logged[0].getMessage() and "GET /broken/" in logged[0].getMessage()
    assert logged[0].exc_info[0] is RuntimeError


@override_settings(DEBUG=False)
def test_each_error_gets_its_own_reference(browser_client):
    first = browser_client.get("/broken/")["X-Error-Reference"]
    second = browser_client.get("/broken/")["X-Error-Reference"]
    assert first != second


@override_settings(DEBUG=False)
def test_a_background_save_that_fails_gets_json_with_the_reference(browser_client):
    response = browser_client.get("/broken/", headers={"X-Requested-With": "fetch"})
    assert response.status_code == 500
    body = response.json()
    assert body["reference"] == response["X-Error-Reference"]
    assert body["reference"] in body["message"] and "未保存" in body["message"]


@override_settings(DEBUG=False, DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_an_oversized_form_post_gets_a_friendly_400_page(browser_client):
    response = browser_client.post("/accounts/login/", {"username": "x" * 4096, "password": "y"})
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_request_for_a_host_we_do_not_serve_is_refused_without_details(browser_client):
    response = browser_client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "ALLOWED_HOSTS" not in response.content.decode()
