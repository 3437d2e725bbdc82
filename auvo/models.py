"""Models of every Auvo entity: English snake_case names whose camelCase is the wire name.

Everything is optional and lenient: Auvo's live data differs from its blueprint (``taskID``,
``userID``, ``description`` for a customer's name, money as ``"12,00"``), unknown fields are
kept, and "no date" markers become ``None``. A field names its wire name only where Auvo's
differs from the camelCase, and lists the other spellings it accepts on read (the first is
the one sent).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AliasChoices, Field

from sdkcore.models import READ_ONLY, REQUIRED_ON_CREATE
from sdkcore.write_checks import NON_NEGATIVE, TaxId

from ._types import (
    AuvoModel,
    LocalDateTime,
    MoneyText,
    OptionalInt,
    OptionalMoney,
    TaskStatus,
    TaskStatusFilter,
    TaskStatusValue,
)

IdOrText = int | str | None
TextList = list[str] | str | None


# -- shared pieces ------------------------------------------------------------------------


class AttachmentUpload(AuvoModel):
    """A file to attach: its name with the extension, and the content in base64."""

    name: str | None = None
    file: str | None = Field(None, repr=False)


class Attachment(AuvoModel):
    id: str | None = None
    url: str | None = None
    attachment_type: OptionalInt = None
    subtitle: str | None = None
    description: str | None = None
    extension: str | None = None
    name: str | None = None
    file: str | None = Field(None, repr=False)


class Discount(AuvoModel):
    value: OptionalMoney = None
    type: str | None = None


class Specification(AuvoModel):
    name: str | None = None
    specification: str | None = Field(
        None, validation_alias=AliasChoices("specification", "Specification")
    )


class Link(AuvoModel):
    href: str | None = None
    rel: str | None = None
    method: str | None = None


class PageInfo(AuvoModel):
    """``pagedSearchReturnData`` (or the newer ``pageInformation``)."""

    order: int | str | None = None
    page_size: OptionalInt = Field(None, validation_alias=AliasChoices("pageSize", "PageSize"))
    page: OptionalInt = Field(None, validation_alias=AliasChoices("page", "Page"))
    total_items: OptionalInt = Field(
        None, validation_alias=AliasChoices("totalItems", "TotalItems")
    )


# -- login --------------------------------------------------------------------------------


class LoginResult(AuvoModel):
    authenticated: bool | None = None
    created: LocalDateTime = None
    expiration: LocalDateTime = None
    access_token: str | None = Field(None, repr=False)
    message: str | None = None


# -- users --------------------------------------------------------------------------------


class UserType(AuvoModel):
    id: OptionalInt = Field(None, alias="userTypeId")
    description: str | None = None


class BasePoint(AuvoModel):
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class User(AuvoModel):
    id: OptionalInt = Field(
        None, alias="userId", validation_alias=AliasChoices("userId", "userID", "id")
    )
    external_id: str | None = None
    name: Annotated[str | None, REQUIRED_ON_CREATE] = None
    smartphone_number: TextList = Field(
        None,
        alias="smartPhoneNumber",
        validation_alias=AliasChoices("smartPhoneNumber", "smartphoneNumber"),
    )
    login: str | None = None
    email: TextList = None
    culture: str | None = None
    job_position: str | None = None
    enterprise: str | None = None
    user_type: UserType | int | None = None
    password: str | None = Field(None, repr=False)
    work_days_of_week: list[int] | None = None
    start_work_hour: str | None = None
    end_work_hour: str | None = None
    start_lunch_hour: str | None = None
    end_lunch_hour: str | None = None
    hour_value: OptionalMoney = None
    picture_url: str | None = None
    base_point: BasePoint | None = Field(
        None, validation_alias=AliasChoices("basePoint", "BasePoint")
    )
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    open_task_in_place: bool | None = None
    gallery_photos: bool | None = Field(
        None,
        alias="grabGalleryPhotos",
        validation_alias=AliasChoices("grabGalleryPhotos", "galleryPhotos", "GalleryPhotos"),
    )
    gps_frequency: OptionalInt = None
    check_in_manual: bool | None = None
    check_out_manual: bool | None = None
    unavailable_for_tasks: bool | None = None
    edit_task_after_checkout: bool | None = None
    inform_start_travel: bool | None = None
    change_base_point: bool | None = Field(
        None, validation_alias=AliasChoices("changeBasePoint", "ChangeBasePoint")
    )
    monitoring_notification: dict[str, Any] | None = Field(
        None, validation_alias=AliasChoices("monitoringNotification", "paramMonitoringNotification")
    )
    employee_notification: dict[str, Any] | None = Field(
        None,
        validation_alias=AliasChoices(
            "employeeNotification", "ParamEmployeeNotification", "paramEmployeeNotification"
        ),
    )
    client_notification: dict[str, Any] | None = Field(
        None,
        validation_alias=AliasChoices(
            "clientNotification", "ParamClientNotification", "paramClientNotification"
        ),
    )
    task_notification: dict[str, Any] | None = Field(
        None,
        validation_alias=AliasChoices(
            "taskNotification", "ParamTaskNotification", "paramTaskNotification"
        ),
    )


# -- tasks --------------------------------------------------------------------------------


class TaskAnswer(AuvoModel):
    question_id: str | None = None
    question_description: str | None = None
    reply_id: IdOrText = None
    reply: str | None = None
    reply_date: LocalDateTime = None


class TaskQuestionnaire(AuvoModel):
    item_id: str | None = None
    questionnaire_id: IdOrText = None
    questionnaire_description: str | None = None
    answers: list[TaskAnswer] | None = None


class TaskProduct(AuvoModel):
    """A product on a task, as Auvo reports it."""

    product_id: str | None = None
    code: str | None = None
    name: str | None = None
    description: str | None = None
    quantity: OptionalMoney = None
    unitary_value: OptionalMoney = None
    total_value: OptionalMoney = None
    user_responsible: str | None = None
    user_responsible_code: IdOrText = None
    date_register: LocalDateTime = None
    date_edit: LocalDateTime = None
    discount: Discount | None = None


class TaskService(AuvoModel):
    """A service on a task, as Auvo reports it."""

    id: str | None = None
    name: str | None = None
    quantity: OptionalMoney = None
    unitary_value: OptionalMoney = None
    total_value: OptionalMoney = None
    user_responsible: str | None = None
    user_responsible_code: IdOrText = None
    date_register: LocalDateTime = None
    date_edit: LocalDateTime = None
    discount: Discount | None = None


class TaskAdditionalCost(AuvoModel):
    """An additional cost on a task, as Auvo reports it."""

    additional_cost_id: str | None = None
    code: str | None = None
    name: str | None = None
    unitary_value: OptionalMoney = None
    user_responsible: str | None = None
    user_responsible_code: IdOrText = None
    date_register: LocalDateTime = None
    date_edit: LocalDateTime = None


class TaskSummary(AuvoModel):
    total_products: OptionalMoney = None
    total_services: OptionalMoney = None
    total_additional_costs: OptionalMoney = None
    total_value: OptionalMoney = None
    discount: Discount | None = None


class TaskProductItem(AuvoModel):
    """A product to put on a task; decimals travel as strings, as Auvo wants."""

    product_id: Annotated[str | None, REQUIRED_ON_CREATE] = Field(
        None, alias="ProductId", validation_alias=AliasChoices("ProductId", "productId")
    )
    quantity: Annotated[MoneyText | None, REQUIRED_ON_CREATE, NON_NEGATIVE] = Field(
        None, alias="Quantity", validation_alias=AliasChoices("Quantity", "quantity")
    )
    value: Annotated[MoneyText | None, REQUIRED_ON_CREATE, NON_NEGATIVE] = Field(
        None, alias="Value", validation_alias=AliasChoices("Value", "value")
    )
    discount_type: str | None = Field(
        None, alias="DiscountType", validation_alias=AliasChoices("DiscountType", "discountType")
    )
    discount_value: MoneyText | None = Field(
        None, alias="DiscountValue", validation_alias=AliasChoices("DiscountValue", "discountValue")
    )


class TaskServiceItem(AuvoModel):
    """A service to put on a task; decimals travel as strings."""

    service_id: Annotated[str | None, REQUIRED_ON_CREATE] = Field(
        None, alias="ServiceId", validation_alias=AliasChoices("ServiceId", "serviceId")
    )
    quantity: Annotated[MoneyText | None, REQUIRED_ON_CREATE, NON_NEGATIVE] = Field(
        None, alias="Quantity", validation_alias=AliasChoices("Quantity", "quantity")
    )
    value: Annotated[MoneyText | None, REQUIRED_ON_CREATE, NON_NEGATIVE] = Field(
        None, alias="Value", validation_alias=AliasChoices("Value", "value")
    )
    discount_type: str | None = Field(
        None, alias="DiscountType", validation_alias=AliasChoices("DiscountType", "discountType")
    )
    discount_value: MoneyText | None = Field(
        None, alias="DiscountValue", validation_alias=AliasChoices("DiscountValue", "discountValue")
    )


class TaskAdditionalCostItem(AuvoModel):
    """An additional cost to put on a task; decimals travel as strings."""

    additional_cost_id: Annotated[str | None, REQUIRED_ON_CREATE] = Field(
        None,
        alias="AdditionalCostId",
        validation_alias=AliasChoices("AdditionalCostId", "additionalCostId"),
    )
    value: Annotated[MoneyText | None, REQUIRED_ON_CREATE, NON_NEGATIVE] = Field(
        None, alias="Value", validation_alias=AliasChoices("Value", "value")
    )
    quantity: Annotated[MoneyText | None, NON_NEGATIVE] = Field(
        None, alias="Quantity", validation_alias=AliasChoices("Quantity", "quantity")
    )
    discount_type: str | None = Field(
        None, alias="DiscountType", validation_alias=AliasChoices("DiscountType", "discountType")
    )
    discount_value: MoneyText | None = Field(
        None, alias="DiscountValue", validation_alias=AliasChoices("DiscountValue", "discountValue")
    )


class TaskDiscount(AuvoModel):
    type: int | None = None
    value: MoneyText | None = None


class Task(AuvoModel):
    """A task (a visit): the centre of Auvo. ``id`` reads ``taskID`` as live data sends it."""

    id: OptionalInt = Field(
        None, alias="taskID", validation_alias=AliasChoices("taskID", "taskId", "id")
    )
    external_id: str | None = None
    user_from_id: Annotated[OptionalInt, REQUIRED_ON_CREATE] = Field(None, alias="idUserFrom")
    user_from_name: str | None = None
    user_to_id: OptionalInt = Field(None, alias="idUserTo")
    user_to_name: str | None = None
    team_id: OptionalInt = Field(None, validation_alias=AliasChoices("teamId", "TeamId"))
    customer_id: OptionalInt = None
    customer_external_id: str | None = None
    customer_description: str | None = None
    task_type_id: OptionalInt = Field(None, alias="taskType")
    task_type_description: str | None = None
    creation_date: LocalDateTime = None
    task_date: LocalDateTime = None
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    orientation: str | None = None
    priority: OptionalInt = None
    questionnaire_id: OptionalInt = None
    delivered_on_smartphone: bool | None = Field(None, alias="deliveredOnSmarthPhone")
    delivered_date: LocalDateTime = None
    finished: bool | None = None
    report: str | None = None
    visualized: bool | None = None
    visualized_date: LocalDateTime = None
    check_in: bool | None = None
    check_in_date: LocalDateTime = None
    check_out: bool | None = None
    check_out_date: LocalDateTime = None
    checkin_type: OptionalInt = None
    equipment_ids: list[int] | None = Field(None, alias="equipmentsId")
    keywords: list[int | str] | None = Field(None, alias="keyWords")
    keyword_descriptions: list[str] | None = Field(None, alias="keyWordsDescriptions")
    inputed_km: float | None = None
    adopted_km: float | None = None
    attachments: list[Attachment] | None = None
    questionnaires: list[TaskQuestionnaire] | None = None
    signature_url: str | None = None
    check_in_distance: float | None = None
    check_out_distance: float | None = None
    send_satisfaction_survey: bool | None = None
    survey: str | None = None
    task_url: str | None = None
    pendency: str | None = None
    date_last_update: LocalDateTime = None
    ticket_id: OptionalInt = None
    ticket_title: str | None = None
    signature_name: str | None = None
    signature_document: str | None = None
    expense: OptionalMoney = None
    duration: str | None = None
    duration_decimal: str | None = None
    displacement_start: str | None = None
    products: list[TaskProduct] | None = None
    services: list[TaskService] | None = None
    additional_costs: list[TaskAdditionalCost] | None = None
    summary: TaskSummary | None = None
    estimated_duration: str | None = None
    financial_category: str | None = None
    task_status: TaskStatusValue = None
    # Only sent on create/upsert:
    task_products: list[TaskProductItem] | None = None
    task_services: list[TaskServiceItem] | None = None
    task_additional_costs: list[TaskAdditionalCostItem] | None = None
    task_discount: TaskDiscount | None = None


# -- customers ----------------------------------------------------------------------------


class Contact(AuvoModel):
    id: OptionalInt = None
    name: str | None = None
    job_position: str | None = None
    email: str | None = None
    phone: str | None = None


class Customer(AuvoModel):
    """A customer. Its name is ``description`` on the wire, except on create (``name``)."""

    id: OptionalInt = None
    external_id: str | None = None
    name: Annotated[str | None, REQUIRED_ON_CREATE] = Field(
        None, alias="description", validation_alias=AliasChoices("description", "name")
    )
    cpf_cnpj: Annotated[str | None, TaxId()] = None
    phone_numbers: TextList = Field(None, alias="phoneNumber")
    emails: TextList = Field(None, alias="email")
    manager: str | None = None
    manager_job_position: str | None = None
    note: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    maximum_visit_time: OptionalInt = None
    unit_maximum_time: OptionalInt = Field(
        None, validation_alias=AliasChoices("unitMaximumTime", "UnitMaximumTime")
    )
    group_ids: list[int] | None = Field(None, alias="groupsId")
    manager_team_ids: list[int] | None = Field(None, alias="managerTeamsId")
    manager_ids: list[int] | None = Field(None, alias="managersId")
    segment_id: OptionalInt = None
    active: bool | None = None
    address_complement: str | None = Field(
        None,
        alias="adressComplement",
        validation_alias=AliasChoices("adressComplement", "AdressComplement"),
    )
    creation_date: Annotated[LocalDateTime, READ_ONLY] = None
    date_last_update: Annotated[LocalDateTime, READ_ONLY] = None
    contacts: list[Contact] | None = None
    attachment_urls: Annotated[list[str] | None, READ_ONLY] = Field(None, alias="uriAnexos")
    attachments: list[AttachmentUpload] | None = None


class CustomerGroup(AuvoModel):
    id: OptionalInt = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    client_ids: list[int] | None = Field(None, alias="clientsId")


# -- teams --------------------------------------------------------------------------------


class Team(AuvoModel):
    id: OptionalInt = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    creation_date: Annotated[LocalDateTime, READ_ONLY] = None
    team_users: list[str] | None = None
    team_managers: list[str] | None = None
    participants: list[int] | None = None
    managers: list[int] | None = Field(None, validation_alias=AliasChoices("managers", "manangers"))


class TeamUser(AuvoModel):
    user_id: OptionalInt = Field(None, validation_alias=AliasChoices("userId", "userID"))
    external_id: str | None = None
    name: str | None = None
    job_position: str | None = None


# -- task types, segments, keywords, questionnaires -----------------------------------------


class TaskTypeRequirements(AuvoModel):
    fill_report: bool | None = None
    get_signature: bool | None = None
    fill_rolled_kilometer: bool | None = None
    email_the_task: bool | None = None
    minimum_number_of_photos: OptionalInt = None
    required_questionnaires: list[int] | None = None


class TaskType(AuvoModel):
    id: OptionalInt = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    creator_id: OptionalInt = None
    creation_date: Annotated[LocalDateTime, READ_ONLY] = None
    standard_time: str | None = Field(
        None, alias="standartTime", validation_alias=AliasChoices("standartTime", "standardTime")
    )
    tolerance_time: str | None = None
    standard_questionnaire_id: OptionalInt = Field(
        None,
        alias="standartQuestionnaireId",
        validation_alias=AliasChoices("standartQuestionnaireId", "standardQuestionnaireId"),
    )
    active: bool | None = None
    send_satisfaction_survey: bool | None = None
    requirements: TaskTypeRequirements | None = None


class Segment(AuvoModel):
    id: OptionalInt = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    registration_date: Annotated[LocalDateTime, READ_ONLY] = None
    creation_date: Annotated[LocalDateTime, READ_ONLY] = None


class Keyword(AuvoModel):
    id: OptionalInt = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    registration_date: Annotated[LocalDateTime, READ_ONLY] = None
    creation_date: Annotated[LocalDateTime, READ_ONLY] = None


class Question(AuvoModel):
    id: OptionalInt = None
    answer_type: OptionalInt = None
    description: str | None = None
    sub_title: str | None = None
    required_answer: bool | None = None
    creation_date: LocalDateTime = None


class Questionnaire(AuvoModel):
    id: OptionalInt = None
    description: str | None = None
    header: str | None = None
    footer: str | None = None
    creation_date: LocalDateTime = None
    questions: list[Question] | None = None


# -- webhooks -----------------------------------------------------------------------------


class Webhook(AuvoModel):
    """A registered hook. Auvo reads the target as ``targetUrl`` and reports ``urlResponse``."""

    id: Annotated[str | None, READ_ONLY] = None
    user_id: OptionalInt = None
    entity: Annotated[str | None, REQUIRED_ON_CREATE] = None
    action: Annotated[str | None, REQUIRED_ON_CREATE] = None
    target_url: Annotated[str | None, REQUIRED_ON_CREATE] = Field(
        None, validation_alias=AliasChoices("targetUrl", "urlResponse")
    )
    creation_date: Annotated[LocalDateTime, READ_ONLY] = None
    delete_date: Annotated[LocalDateTime, READ_ONLY] = None
    active: bool | None = None


# -- expenses -----------------------------------------------------------------------------


class Expense(AuvoModel):
    id: Annotated[OptionalInt, READ_ONLY] = None
    description: str | None = None
    user_to_id: Annotated[OptionalInt, REQUIRED_ON_CREATE] = None
    user_to_name: Annotated[str | None, READ_ONLY] = None
    type_id: Annotated[OptionalInt, REQUIRED_ON_CREATE] = None
    type_name: Annotated[str | None, READ_ONLY] = None
    date: Annotated[LocalDateTime, REQUIRED_ON_CREATE] = Field(
        None, validation_alias=AliasChoices("date", "expenseDate")
    )
    attachment_url: Annotated[str | None, READ_ONLY] = None
    attachment: str | None = Field(None, repr=False)
    creation_date: Annotated[LocalDateTime, READ_ONLY] = None
    amount: Annotated[OptionalMoney, REQUIRED_ON_CREATE] = None


class ExpenseType(AuvoModel):
    id: OptionalInt = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    creator_id: Annotated[OptionalInt, READ_ONLY] = None
    creation_date: Annotated[LocalDateTime, READ_ONLY] = None


# -- gps and surveys ----------------------------------------------------------------------


class GpsPosition(AuvoModel):
    user_id: OptionalInt = None
    position_date: LocalDateTime = None
    latitude: float | None = None
    longitude: float | None = None
    accuracy: float | None = None
    battery_level: float | None = None
    network_operator_name: str | None = Field(
        None, validation_alias=AliasChoices("networkOperatorName", "NetworkOperatorName")
    )


class SatisfactionSurvey(AuvoModel):
    id: OptionalInt = None
    task_id: OptionalInt = Field(
        None, alias="taskID", validation_alias=AliasChoices("taskID", "taskId")
    )
    answer_description: str | None = None
    question_description: str | None = None
    answer_date: LocalDateTime = None
    item_id: str | None = None
    email: str | None = None
    answers_item_quantity: OptionalInt = None
    score_sum: float | None = None
    total_response: OptionalInt = None
    total_submitted: OptionalInt = None


# -- equipment ----------------------------------------------------------------------------


class EquipmentCategory(AuvoModel):
    id: OptionalInt = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    external_id: str | None = None


class Equipment(AuvoModel):
    id: Annotated[OptionalInt, READ_ONLY] = None
    external_id: str | None = None
    parent_equipment_id: OptionalInt = None
    associated_customer_id: OptionalInt = None
    associated_user_id: OptionalInt = None
    category_id: OptionalInt = None
    name: Annotated[str | None, REQUIRED_ON_CREATE] = None
    description: str | None = None
    identifier: str | None = None
    image_url: Annotated[str | None, READ_ONLY] = Field(None, alias="urlImage")
    base64_image: str | None = Field(
        None, validation_alias=AliasChoices("base64Image", "Base64Image"), repr=False
    )
    attachment_urls: Annotated[list[str] | None, READ_ONLY] = Field(None, alias="uriAnexos")
    attachments: list[AttachmentUpload] | None = None
    active: bool | None = None
    creation_date: Annotated[LocalDateTime, READ_ONLY] = None
    expiration_date: LocalDateTime = None
    warranty_start_date: LocalDateTime = None
    warranty_end_date: LocalDateTime = None
    specifications: list[Specification] | None = Field(None, alias="equipmentSpecifications")


# -- products and services ----------------------------------------------------------------


class ProductCategory(AuvoModel):
    id: OptionalInt = None
    external_id: str | None = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None


class StockMovement(AuvoModel):
    id: OptionalInt = None
    operation_user_id: OptionalInt = None
    stock_user_id: OptionalInt = None
    product_id: IdOrText = None
    amount: OptionalMoney = None
    unitary_value: OptionalMoney = Field(
        None, validation_alias=AliasChoices("unitaryValue", "Unitaryvalue", "unitaryvalue")
    )
    unitary_cost: OptionalMoney = None
    entry: bool | None = None
    addition: bool | None = None
    date: LocalDateTime = None


class EmployeeStock(AuvoModel):
    id: OptionalInt = None
    user_id: OptionalInt = None
    amount: OptionalMoney = None
    last_stock_movement: StockMovement | None = None


class Product(AuvoModel):
    """A product. ``product_id`` is Auvo's GUID; ``code`` (and ``id``) the number in URLs."""

    product_id: Annotated[str | None, READ_ONLY] = None
    id: Annotated[IdOrText, READ_ONLY] = None
    code: Annotated[str | None, READ_ONLY] = None
    external_id: str | None = None
    name: Annotated[str | None, REQUIRED_ON_CREATE] = None
    description: str | None = None
    associated_equipment_id: OptionalInt = None
    category_id: OptionalInt = None
    unitary_value: OptionalMoney = None
    unitary_cost: OptionalMoney = None
    minimum_stock: OptionalMoney = None
    total_stock: OptionalMoney = None
    active: bool | None = None
    base64_image: str | None = Field(
        None, validation_alias=AliasChoices("base64Image", "Base64Image"), repr=False
    )
    attachment_urls: Annotated[list[str] | None, READ_ONLY] = Field(
        None, alias="uriAnexos", validation_alias=AliasChoices("uriAnexos", "uriAttachments")
    )
    attachments: list[AttachmentUpload] | None = None
    specifications: list[Specification] | None = Field(None, alias="productSpecifications")
    employees_stock: list[EmployeeStock] | None = None


class Service(AuvoModel):
    id: Annotated[str | None, READ_ONLY] = None
    title: Annotated[str | None, REQUIRED_ON_CREATE] = None
    description: str | None = None
    price: OptionalMoney = None
    active: bool | None = None
    fiscal_service_id: str | None = None


# -- quotations ---------------------------------------------------------------------------


class QuotationAdditionalCost(AuvoModel):
    id: OptionalInt = None
    cost_id: OptionalInt = None
    description: str | None = None
    value: OptionalMoney = None


class QuotationAlteration(AuvoModel):
    id: OptionalInt = None
    key: IdOrText = None
    column: str | None = None
    type: str | None = None
    user_id: OptionalInt = None
    date: LocalDateTime = None
    observations: str | None = None
    value: str | None = None


class QuotationProduct(AuvoModel):
    product_id: IdOrText = None
    amount: OptionalMoney = Field(None, validation_alias=AliasChoices("amount", "amout"))
    unitary_value: OptionalMoney = Field(
        None, validation_alias=AliasChoices("unitaryValue", "UnitaryValue")
    )


class QuotationService(AuvoModel):
    service_id: IdOrText = Field(None, validation_alias=AliasChoices("serviceId", "id"))
    amount: OptionalMoney = Field(
        None, validation_alias=AliasChoices("amount", "amout", "quantity")
    )
    unitary_value: OptionalMoney = Field(
        None, validation_alias=AliasChoices("unitaryValue", "UnitaryValue")
    )


class QuotationContact(AuvoModel):
    id: OptionalInt = None
    name: str | None = None
    job: str | None = None
    email: str | None = None
    phone_number: str | None = None


class QuotationSummary(AuvoModel):
    total_products: OptionalMoney = None
    total_services: OptionalMoney = None
    total_additional_costs: OptionalMoney = None
    net_total_value: OptionalMoney = None
    gross_total_value: OptionalMoney = None
    discount: Discount | None = None


class QuotationStage(AuvoModel):
    id: OptionalInt = None
    description: str | None = None
    position: OptionalInt = None
    change_stock: bool | None = None
    is_cancelled: bool | None = None
    edit_allowed: bool | None = None


class Quotation(AuvoModel):
    """A quotation (orçamento). ``id`` is Auvo's ``publicId``."""

    id: OptionalInt = Field(None, alias="publicId", validation_alias=AliasChoices("publicId", "id"))
    customer_id: OptionalInt = None
    customer_name: str | None = None
    task_id: OptionalInt = Field(
        None, alias="taskID", validation_alias=AliasChoices("taskID", "taskId")
    )
    discount: OptionalMoney = Field(
        None, alias="descount", validation_alias=AliasChoices("descount", "discount")
    )
    requester_user_id: OptionalInt = None
    observations: str | None = None
    register_date: LocalDateTime = None
    request_date: LocalDateTime = None
    additional_costs: list[QuotationAdditionalCost] | None = Field(
        None,
        alias="aditionalCosts",
        validation_alias=AliasChoices("aditionalCosts", "additionalCosts"),
    )
    alterations: list[QuotationAlteration] | None = None
    products: list[QuotationProduct] | None = None
    services: list[QuotationService] | None = None
    contacts: list[QuotationContact] | None = None
    summary: QuotationSummary | None = None
    current_stage: QuotationStage | None = Field(
        None, validation_alias=AliasChoices("currentStage", "CurrentStage")
    )


# -- tickets ------------------------------------------------------------------------------


class TicketChoice(AuvoModel):
    id: OptionalInt = None
    field: OptionalInt = None
    description: str | None = None
    order: OptionalInt = None
    creation_date: LocalDateTime = None
    removed: bool | None = None


class TicketCustomFieldDefinition(AuvoModel):
    id: OptionalInt = None
    order: OptionalInt = None
    title: str | None = None
    field_type: str | None = None
    field_visibility: str | None = None
    description: str | None = None
    primary: bool | None = None
    required: bool | None = None
    removed: bool | None = None
    creation_date: LocalDateTime = None
    multiple_choice_items: list[TicketChoice] | None = None


class TicketCustomField(AuvoModel):
    value: str | None = None
    value_description: str | None = None
    definition: TicketCustomFieldDefinition | None = Field(None, alias="customFieldTicket")


class TicketAlteration(AuvoModel):
    alteration_type: OptionalInt = None
    alteration_date: LocalDateTime = None
    user_id: OptionalInt = None
    user_name: str | None = None
    from_: str | None = None
    to: str | None = None
    helper: str | None = None
    from_description: str | None = None
    to_description: str | None = None
    helper_description: str | None = None


class TicketInteraction(AuvoModel):
    id: OptionalInt = None
    ticket_id: OptionalInt = None
    creation_date: LocalDateTime = None
    user_id: OptionalInt = None
    user_name: str | None = None
    title: str | None = None
    message: str | None = None
    interaction_type: str | None = None
    email_message_id: str | None = Field(
        None,
        alias="emailMenssageId",
        validation_alias=AliasChoices("emailMenssageId", "emailMessageId"),
    )
    email_contact: str | None = None
    email_contact_name: str | None = None
    email_reference: str | None = None
    attachment_urls: list[str] | None = Field(None, alias="urlAttachments")


class TicketStatusChange(AuvoModel):
    id: OptionalInt = None
    description: str | None = Field(
        None, alias="descripton", validation_alias=AliasChoices("descripton", "description")
    )
    check_in: LocalDateTime = None
    check_out: LocalDateTime = None


class Ticket(AuvoModel):
    id: Annotated[OptionalInt, READ_ONLY] = None
    creation_date: Annotated[LocalDateTime, READ_ONLY] = None
    title: Annotated[str | None, REQUIRED_ON_CREATE] = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    priority: IdOrText = None
    team_id: OptionalInt = None
    team_name: str | None = None
    user_creator_id: OptionalInt = None
    user_creator_name: str | None = None
    user_responsible_id: OptionalInt = Field(None, alias="userResponsableId")
    user_responsible_name: str | None = Field(None, alias="userResponsableName")
    customer_id: IdOrText = None
    customer_name: str | None = None
    customer_email: str | None = None
    customer_phone_number: str | None = None
    equipment_id: OptionalInt = None
    request_type_id: OptionalInt = None
    request_type_description: str | None = None
    status_id: OptionalInt = None
    status_description: str | None = None
    status_type: str | None = None
    end_date: LocalDateTime = None
    email_message_id: str | None = Field(
        None,
        alias="emailMenssageId",
        validation_alias=AliasChoices("emailMenssageId", "emailMessageId"),
    )
    requester_email: Annotated[str | None, REQUIRED_ON_CREATE] = None
    requester_name: str | None = None
    task_ids: list[int] | None = Field(
        None, alias="taskIDs", validation_alias=AliasChoices("taskIDs", "taskIds")
    )
    attachment_urls: list[str] | None = Field(None, alias="urlAttachments")
    custom_fields: list[TicketCustomField] | None = None
    alterations: list[TicketAlteration] | None = None
    interactions: list[TicketInteraction] | None = None
    status_changes: list[TicketStatusChange] | None = Field(None, alias="statusAlterations")


# -- service orders (the blueprint's Projects) ----------------------------------------------


class NamedRef(AuvoModel):
    id: OptionalInt = None
    name: str | None = None


class ServiceOrderItem(AuvoModel):
    id: IdOrText = None
    name: str | None = None
    quantity: OptionalMoney = None
    unit_value: OptionalMoney = None
    total_value: OptionalMoney = None


class ServiceOrderVisit(AuvoModel):
    task_id: OptionalInt = Field(None, validation_alias=AliasChoices("taskId", "taskID"))
    external_code: str | None = None
    user_from_id: OptionalInt = Field(None, alias="idUserFrom")
    user_to_id: OptionalInt = Field(None, alias="idUserTo")
    customer_code: OptionalInt = None
    task_type_code: OptionalInt = None
    task_date: LocalDateTime = None
    priority: OptionalInt = None
    finished: bool | None = None
    equipment_ids: list[int] | None = Field(None, alias="equipmentsId")
    task_url: str | None = None
    products: list[ServiceOrderItem | int | str] | None = None
    services: list[ServiceOrderItem | int | str] | None = None
    additional_costs: list[ServiceOrderItem | int | str] | None = None
    status: str | None = None
    discount_type: str | None = None
    discount_value: OptionalMoney = None
    total_value: OptionalMoney = None
    summary: TaskSummary | None = None


class ServiceOrderSummary(AuvoModel):
    total_product_value: OptionalMoney = None
    total_service_value: OptionalMoney = None
    total_additional_cost_value: OptionalMoney = None
    visits_discount: OptionalMoney = None
    project_discount_value: OptionalMoney = None
    project_discount_type: str | None = None
    total_project_value: OptionalMoney = None


class ServiceOrder(AuvoModel):
    """A service order; the blueprint calls it a Project (``/serviceorders``)."""

    id: str | None = None
    project_code: OptionalInt = None
    external_code: str | None = None
    customer_id: OptionalInt = None
    customer_name: str | None = None
    status_id: str | None = None
    description: str | None = None
    task_type_id: OptionalInt = None
    default_questionnaire_id: OptionalInt = None
    default_responsible_id: OptionalInt = None
    priority: OptionalInt = None
    keywords: list[NamedRef] | None = None
    attachments: list[Any] | None = None
    equipments: list[Any] | None = None
    visits: list[ServiceOrderVisit] | None = None
    products: list[ServiceOrderItem | int | str] | None = None
    services: list[ServiceOrderItem | int | str] | None = None
    additional_costs: list[ServiceOrderItem | int | str] | None = None
    report_link: str | None = None
    detailed_report_link: str | None = None
    summary: ServiceOrderSummary | None = None


# -- webhook deliveries -------------------------------------------------------------------


class WebhookEvent(AuvoModel):
    """One delivery Auvo POSTs to a registered hook; ``entities`` are typed by ``entity_type``."""

    entity_type: str = Field(
        ..., alias="EntityType", validation_alias=AliasChoices("EntityType", "entityType")
    )
    action: str = Field(..., alias="Action", validation_alias=AliasChoices("Action", "action"))
    entity_id: IdOrText = Field(
        None, alias="EntityId", validation_alias=AliasChoices("EntityId", "entityId")
    )
    user_admin_id: OptionalInt = Field(
        None, alias="UserAdminId", validation_alias=AliasChoices("UserAdminId", "userAdminId")
    )
    webhook_id: IdOrText = Field(
        None, alias="WebhookId", validation_alias=AliasChoices("WebhookId", "webhookId")
    )
    date: LocalDateTime = Field(None, alias="Date", validation_alias=AliasChoices("Date", "date"))
    entities: list[Task | Customer | User | dict[str, Any]] = Field(
        alias="Entities",
        validation_alias=AliasChoices("Entities", "entities"),
        default_factory=list,
    )


__all__ = [
    "Attachment",
    "AttachmentUpload",
    "BasePoint",
    "Contact",
    "Customer",
    "CustomerGroup",
    "Discount",
    "EmployeeStock",
    "Equipment",
    "EquipmentCategory",
    "Expense",
    "ExpenseType",
    "GpsPosition",
    "Keyword",
    "Link",
    "LoginResult",
    "NamedRef",
    "PageInfo",
    "Product",
    "ProductCategory",
    "Question",
    "Questionnaire",
    "Quotation",
    "QuotationAdditionalCost",
    "QuotationAlteration",
    "QuotationContact",
    "QuotationProduct",
    "QuotationService",
    "QuotationStage",
    "QuotationSummary",
    "SatisfactionSurvey",
    "Segment",
    "Service",
    "ServiceOrder",
    "ServiceOrderItem",
    "ServiceOrderSummary",
    "ServiceOrderVisit",
    "Specification",
    "StockMovement",
    "Task",
    "TaskAdditionalCost",
    "TaskAdditionalCostItem",
    "TaskAnswer",
    "TaskDiscount",
    "TaskProduct",
    "TaskProductItem",
    "TaskQuestionnaire",
    "TaskService",
    "TaskServiceItem",
    "TaskStatus",
    "TaskStatusFilter",
    "TaskSummary",
    "TaskType",
    "TaskTypeRequirements",
    "Team",
    "TeamUser",
    "Ticket",
    "TicketAlteration",
    "TicketChoice",
    "TicketCustomField",
    "TicketCustomFieldDefinition",
    "TicketInteraction",
    "TicketStatusChange",
    "User",
    "UserType",
    "Webhook",
    "WebhookEvent",
]
