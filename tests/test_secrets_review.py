"""Ways a credential still got out, found by attacking the SDK and the bridge end to end:
a request id header echoing the token, the httpx exception an error was chained to, a
module logger created after the log filter was installed, and a raw response's repr."""

from __future__ import annotations

import logging
import pickle
import subprocess
import sys
import traceback

import httpx
import pytest

from bling import Bling
from contaazul import ContaAzul
from contaazul.testing import FakeContaAzul
from sdkcore import APIConnectionError, APIError, FieldError, RequestValidationError
from sdkcore.redact import register_secret
from sdkcore.testing.fake import Fault
from sdkcore.testing.server import FakeServer

TOKEN = "review-token+K3/pQ8wZ5xV2"


def test_an_error_masks_a_request_id_that_quotes_a_credential() -> None:
    """Some gateways put what they were sent in the id they answer with."""
    fake = FakeContaAzul()
    with (
        FakeServer(fake) as server,
        ContaAzul(
            fake.application_token,
            fake.company_token,
            base_url=server.url,
            rate_limiter=False,
            max_retries=0,
        ) as client,
    ):
        fake.fail_next(
            Fault(status=500, body={}, headers={"X-Request-Id": f"{fake.company_token}-1"})
        )
        with pytest.raises(APIError) as failed:
            list(client.customers.list())
    err = failed.value
    copy = pickle.loads(pickle.dumps(err))
    for text in (str(err), repr(err), repr(vars(err)), str(copy), repr(vars(copy))):
        assert fake.company_token not in text
    assert err.request_id == "***-1"


def test_a_connection_error_keeps_no_credential_in_the_exceptions_it_was_raised_from(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """httpx refuses a header value with a newline by quoting it: the traceback of the SDK's
    error, printed by any logger or by Python itself, must not show that quote."""
    fake = FakeContaAzul()
    typed = f"{TOKEN}\n"  # a token read from a file with its newline
    register_secret(typed)
    with (
        FakeServer(fake) as server,
        ContaAzul(
            fake.application_token,
            fake.company_token,
            base_url=server.url,
            rate_limiter=False,
            max_retries=0,
        ) as client,
        pytest.raises(APIConnectionError) as failed,
    ):
        client.request("GET", "/pub/contact/customer/", extra_headers={"X-Api-Token": typed})
    shown = "".join(traceback.format_exception(failed.value))
    with caplog.at_level(logging.ERROR, logger="an_application"):
        logging.getLogger("an_application").error("sync failed", exc_info=failed.value)
    assert "LocalProtocolError" in str(failed.value)  # the cause is still named
    for text in (shown, caplog.text):
        assert TOKEN not in text


@pytest.mark.parametrize("module", ["bridge.webhook_listener", "sdkcore.serving"])
def test_a_module_logger_created_after_the_filter_was_installed_is_filtered(module: str) -> None:
    """``bridge.cli`` imports ``bridge.webhook_listener`` after ``bridge`` installed the filter; a
    record logged there reaches the root's handlers without passing the package's filter."""
    script = (
        "import logging, bridge, bridge.cli\n"
        "from sdkcore.redact import register_secret\n"
        f"register_secret({TOKEN!r})\n"
        "logging.basicConfig(level=logging.DEBUG)\n"
        f"logging.getLogger({module!r}).warning('quoted %s', {TOKEN!r})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert "quoted ***" in done.stderr
    assert TOKEN not in done.stderr


def test_a_raw_response_repr_masks_known_credentials() -> None:
    register_secret(TOKEN)

    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"echo": TOKEN}, headers={"X-Echo": TOKEN})

    with Bling(
        access_token=TOKEN,
        base_url="https://bling.test/Api/v3",
        transport=httpx.MockTransport(echo),
        rate_limiter=False,
    ) as client:
        raw = client.with_raw_response.request("GET", "/anything")
    assert raw.parsed == {"echo": TOKEN}  # the data itself is the caller's, untouched
    assert TOKEN not in repr(raw)


def test_an_error_masks_a_field_error_s_field_and_code_too() -> None:
    register_secret(TOKEN)
    err = APIError("refused", field_errors=[FieldError(f"x.{TOKEN}", "bad", f"E-{TOKEN}")])
    assert err.field_errors == [FieldError("x.***", "bad", "E-***")]
    assert TOKEN not in repr(vars(err))


@pytest.mark.parametrize("stray", ["é", "\u00a0", "\n", " "])
def test_a_credential_no_header_can_carry_is_refused_without_quoting_it(stray: str) -> None:
    """A token pasted with a stray character made httpx raise ``UnicodeEncodeError`` (whose
    repr holds the whole header) or refuse the header quoting it; now the client refuses
    it when built, naming the header, never the value."""
    typed = f"pasted-token-{TOKEN}{stray}"
    with pytest.raises(RequestValidationError) as refused:
        ContaAzul(typed, "company-token-1234", base_url="https://ca.test")
    with pytest.raises(RequestValidationError) as refused_bling:
        Bling(access_token=typed, base_url="https://bling.test/Api/v3")
    for err in (refused.value, refused_bling.value):
        assert typed.strip() not in f"{err} {err!r} {vars(err)}"
    assert str(refused.value).startswith("ExternalApplicationToken: ")
