"""``bridge.automations``: trigger -> filters -> field map -> action, declared in the
bridge's TOML or in Python, checked against the systems' models before anything runs.

This package is the pure core: declarations, filter and template evaluation, the model
checks and the catalogue. Reading triggers and performing actions sit above it.
"""

from ..automation_surface import (
    AutomationSurface as AutomationSurface,
    Statuses as Statuses,
    Writes as Writes,
)
from .check import (
    CatalogueField as CatalogueField,
    catalogue as catalogue,
    check as check,
    check_names as check_names,
)
from .conditions import AllOf as AllOf, AnyOf as AnyOf, Condition as Condition, Op as Op
from .declare import (
    LOOKUPS as LOOKUPS,
    Action as Action,
    Automation as Automation,
    Const as Const,
    Each as Each,
    Event as Event,
    FieldMap as FieldMap,
    Lookup as Lookup,
    Source as Source,
    Trigger as Trigger,
)
from .errors import AutomationError as AutomationError, TemplateError as TemplateError
from .evaluate import (
    LookupResolver as LookupResolver,
    build_payload as build_payload,
    filters_pass as filters_pass,
    trigger_fires as trigger_fires,
)
from .paths import FieldPath as FieldPath, parse_path as parse_path
from .systems import AUVO as AUVO, surface as surface, systems as systems
from .templates import (
    TRANSFORMS as TRANSFORMS,
    Template as Template,
    parse_template as parse_template,
)
from .toml import (
    automations_from_toml as automations_from_toml,
    automations_to_toml as automations_to_toml,
)
