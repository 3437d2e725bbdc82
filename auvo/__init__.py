"""Auvo API v2 client: every resource of the blueprint, sync and async, quirks tamed.

>>> from auvo import Auvo, TaskStatusFilter
>>> auvo = Auvo(api_key="...", api_token="...")  # or AUVO_API_KEY / AUVO_API_TOKEN
>>> for task in auvo.tasks.list(start=..., end=..., status=TaskStatusFilter.FINISHED):
...     print(task.id, task.customer_description)
"""

from typing import TYPE_CHECKING

from sdkcore.lazy import lazy_exports

if TYPE_CHECKING:
    from sdkcore import (
        APIConnectionError as APIConnectionError,
        APIError as APIError,
        APIResponse as APIResponse,
        APIStatusError as APIStatusError,
        APITimeoutError as APITimeoutError,
        AuthenticationError as AuthenticationError,
        BadRequestError as BadRequestError,
        ConflictError as ConflictError,
        FieldError as FieldError,
        LogLevelError as LogLevelError,
        MissingCredentialsError as MissingCredentialsError,
        NotFoundError as NotFoundError,
        PermissionDeniedError as PermissionDeniedError,
        RateLimitError as RateLimitError,
        RecordParseError as RecordParseError,
        RequestValidationError as RequestValidationError,
        ResponseParseError as ResponseParseError,
        RetryPolicy as RetryPolicy,
        SDKError as SDKError,
        ServerError as ServerError,
        ValidationError as ValidationError,
        __version__ as __version__,
    )

    from ._calls import (
        DEFAULT_TASK_WINDOW as DEFAULT_TASK_WINDOW,
        split_window as split_window,
    )
    from ._client import (
        AsyncAuvo as AsyncAuvo,
        Auvo as Auvo,
    )
    from ._envelope import (
        Upserted as Upserted,
    )
    from .models import *  # noqa: F403
    from .webhooks import (
        WebhookParseError as WebhookParseError,
        parse_event as parse_event,
    )

if not TYPE_CHECKING:  # type checkers read the imports above, so a typo stays an error
    __getattr__, __dir__ = lazy_exports(__name__)
