"""Auvo API v2 client: every resource of the blueprint, sync and async, quirks tamed.

>>> from auvo import Auvo, TaskStatusFilter
>>> auvo = Auvo(api_key="...", api_token="...")  # or AUVO_API_KEY / AUVO_API_TOKEN
>>> for task in auvo.tasks.list(start=..., end=..., status=TaskStatusFilter.FINISHED):
...     print(task.id, task.customer_description)
"""

from sdkcore import (
    APIConnectionError,
    APIError,
    APIResponse,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RecordParseError,
    RequestValidationError,
    ResponseParseError,
    RetryPolicy,
    SDKError,
    ServerError,
    ValidationError,
    __version__,
)

from ._calls import DEFAULT_TASK_WINDOW, split_window
from ._client import AsyncAuvo, Auvo
from ._envelope import Upserted
from .models import *  # noqa: F403
from .models import __all__ as _models_all
from .webhooks import WebhookParseError, parse_event

__all__ = [
    "DEFAULT_TASK_WINDOW",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAuvo",
    "AuthenticationError",
    "Auvo",
    "BadRequestError",
    "ConflictError",
    "FieldError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RecordParseError",
    "RequestValidationError",
    "ResponseParseError",
    "RetryPolicy",
    "SDKError",
    "ServerError",
    "Upserted",
    "ValidationError",
    "WebhookParseError",
    "__version__",
    "parse_event",
    "split_window",
    *_models_all,
]
