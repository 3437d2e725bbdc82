"""Models of every Auvo entity: English snake_case names, Auvo's wire names as aliases.

Everything is optional and lenient: Auvo's live data differs from its blueprint (``taskID``,
``userID``, ``description`` for a customer's name, money as ``"12,00"``), unknown fields are
kept, and "no date" markers become ``None``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AliasChoices, Field

from sdkcore.models import READ_ONLY, REQUIRED_ON_CREATE

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


def wire(*names: str, default: Any = None, **kwargs: Any) -> Any:
    """A field whose first name is the one we send; the others are accepted on read."""
    if "default_factory" in kwargs:
        return Field(alias=names[0], validation_alias=AliasChoices(*names), **kwargs)
    if len(names) == 1:
        return Field(default, alias=names[0], **kwargs)
    return Field(default, alias=names[0], validation_alias=AliasChoices(*names), **kwargs)


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
    attachment_type: OptionalInt = wire("attachmentType")
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
    specification: str | None = wire("specification", "Specification")


class Link(AuvoModel):
    href: str | None = None
    rel: str | None = None
    method: str | None = None


class PageInfo(AuvoModel):
    """``pagedSearchReturnData`` (or the newer ``pageInformation``)."""

    order: int | str | None = None
    page_size: OptionalInt = wire("pageSize", "PageSize")
    page: OptionalInt = wire("page", "Page")
    total_items: OptionalInt = wire("totalItems", "TotalItems")


# -- login --------------------------------------------------------------------------------


class LoginResult(AuvoModel):
    authenticated: bool | None = None
    created: LocalDateTime = None
    expiration: LocalDateTime = None
    access_token: str | None = wire("accessToken", repr=False)
    message: str | None = None


# -- users --------------------------------------------------------------------------------


class UserType(AuvoModel):
    id: OptionalInt = wire("userTypeId")
    description: str | None = None


class BasePoint(AuvoModel):
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class User(AuvoModel):
    id: OptionalInt = wire("userId", "userID", "id")
    external_id: str | None = wire("externalId")
    name: Annotated[str | None, REQUIRED_ON_CREATE] = None
    smartphone_number: TextList = wire("smartPhoneNumber", "smartphoneNumber")
    login: str | None = None
    email: TextList = None
    culture: str | None = None
    job_position: str | None = wire("jobPosition")
    enterprise: str | None = None
    user_type: UserType | int | None = wire("userType")
    password: str | None = Field(None, repr=False)
    work_days_of_week: list[int] | None = wire("workDaysOfWeek")
    start_work_hour: str | None = wire("startWorkHour")
    end_work_hour: str | None = wire("endWorkHour")
    start_lunch_hour: str | None = wire("startLunchHour")
    end_lunch_hour: str | None = wire("endLunchHour")
    hour_value: OptionalMoney = wire("hourValue")
    picture_url: str | None = wire("pictureUrl")
    base_point: BasePoint | None = wire("basePoint", "BasePoint")
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    open_task_in_place: bool | None = wire("openTaskInPlace")
    gallery_photos: bool | None = wire("grabGalleryPhotos", "galleryPhotos", "GalleryPhotos")
    gps_frequency: OptionalInt = wire("gpsFrequency")
    check_in_manual: bool | None = wire("checkInManual")
    check_out_manual: bool | None = wire("checkOutManual")
    unavailable_for_tasks: bool | None = wire("unavailableForTasks")
    edit_task_after_checkout: bool | None = wire("editTaskAfterCheckout")
    inform_start_travel: bool | None = wire("informStartTravel")
    change_base_point: bool | None = wire("changeBasePoint", "ChangeBasePoint")
    monitoring_notification: dict[str, Any] | None = wire(
        "monitoringNotification", "paramMonitoringNotification"
    )
    employee_notification: dict[str, Any] | None = wire(
        "employeeNotification", "ParamEmployeeNotification", "paramEmployeeNotification"
    )
    client_notification: dict[str, Any] | None = wire(
        "clientNotification", "ParamClientNotification", "paramClientNotification"
    )
    task_notification: dict[str, Any] | None = wire(
        "taskNotification", "ParamTaskNotification", "paramTaskNotification"
    )


# -- tasks --------------------------------------------------------------------------------


class TaskAnswer(AuvoModel):
    question_id: str | None = wire("questionId")
    question_description: str | None = wire("questionDescription")
    reply_id: IdOrText = wire("replyId")
    reply: str | None = None
    reply_date: LocalDateTime = wire("replyDate")


class TaskQuestionnaire(AuvoModel):
    item_id: str | None = wire("itemId")
    questionnaire_id: IdOrText = wire("questionnaireId")
    questionnaire_description: str | None = wire("questionnaireDescription")
    answers: list[TaskAnswer] | None = None


class TaskProduct(AuvoModel):
    """A product on a task, as Auvo reports it."""

    product_id: str | None = wire("productId")
    code: str | None = None
    name: str | None = None
    description: str | None = None
    quantity: OptionalMoney = None
    unitary_value: OptionalMoney = wire("unitaryValue")
    total_value: OptionalMoney = wire("totalValue")
    user_responsible: str | None = wire("userResponsible")
    user_responsible_code: IdOrText = wire("userResponsibleCode")
    date_register: LocalDateTime = wire("dateRegister")
    date_edit: LocalDateTime = wire("dateEdit")
    discount: Discount | None = None


class TaskService(AuvoModel):
    """A service on a task, as Auvo reports it."""

    id: str | None = None
    name: str | None = None
    quantity: OptionalMoney = None
    unitary_value: OptionalMoney = wire("unitaryValue")
    total_value: OptionalMoney = wire("totalValue")
    user_responsible: str | None = wire("userResponsible")
    user_responsible_code: IdOrText = wire("userResponsibleCode")
    date_register: LocalDateTime = wire("dateRegister")
    date_edit: LocalDateTime = wire("dateEdit")
    discount: Discount | None = None


class TaskAdditionalCost(AuvoModel):
    """An additional cost on a task, as Auvo reports it."""

    additional_cost_id: str | None = wire("additionalCostId")
    code: str | None = None
    name: str | None = None
    unitary_value: OptionalMoney = wire("unitaryValue")
    user_responsible: str | None = wire("userResponsible")
    user_responsible_code: IdOrText = wire("userResponsibleCode")
    date_register: LocalDateTime = wire("dateRegister")
    date_edit: LocalDateTime = wire("dateEdit")


class TaskSummary(AuvoModel):
    total_products: OptionalMoney = wire("totalProducts")
    total_services: OptionalMoney = wire("totalServices")
    total_additional_costs: OptionalMoney = wire("totalAdditionalCosts")
    total_value: OptionalMoney = wire("totalValue")
    discount: Discount | None = None


class TaskProductItem(AuvoModel):
    """A product to put on a task; decimals travel as strings, as Auvo wants."""

    product_id: Annotated[str | None, REQUIRED_ON_CREATE] = wire("ProductId", "productId")
    quantity: Annotated[MoneyText | None, REQUIRED_ON_CREATE] = wire("Quantity", "quantity")
    value: Annotated[MoneyText | None, REQUIRED_ON_CREATE] = wire("Value", "value")
    discount_type: str | None = wire("DiscountType", "discountType")
    discount_value: MoneyText | None = wire("DiscountValue", "discountValue")


class TaskServiceItem(AuvoModel):
    """A service to put on a task; decimals travel as strings."""

    service_id: Annotated[str | None, REQUIRED_ON_CREATE] = wire("ServiceId", "serviceId")
    quantity: Annotated[MoneyText | None, REQUIRED_ON_CREATE] = wire("Quantity", "quantity")
    value: Annotated[MoneyText | None, REQUIRED_ON_CREATE] = wire("Value", "value")
    discount_type: str | None = wire("DiscountType", "discountType")
    discount_value: MoneyText | None = wire("DiscountValue", "discountValue")


class TaskAdditionalCostItem(AuvoModel):
    """An additional cost to put on a task; decimals travel as strings."""

    additional_cost_id: Annotated[str | None, REQUIRED_ON_CREATE] = wire(
        "AdditionalCostId", "additionalCostId"
    )
    value: Annotated[MoneyText | None, REQUIRED_ON_CREATE] = wire("Value", "value")
    quantity: MoneyText | None = wire("Quantity", "quantity")
    discount_type: str | None = wire("DiscountType", "discountType")
    discount_value: MoneyText | None = wire("DiscountValue", "discountValue")


class TaskDiscount(AuvoModel):
    type: int | None = None
    value: MoneyText | None = None


class Task(AuvoModel):
    """A task (a visit): the centre of Auvo. ``id`` reads ``taskID`` as live data sends it."""

    id: OptionalInt = wire("taskID", "taskId", "id")
    external_id: str | None = wire("externalId")
    user_from_id: Annotated[OptionalInt, REQUIRED_ON_CREATE] = wire("idUserFrom")
    user_from_name: str | None = wire("userFromName")
    user_to_id: OptionalInt = wire("idUserTo")
    user_to_name: str | None = wire("userToName")
    team_id: OptionalInt = wire("teamId", "TeamId")
    customer_id: OptionalInt = wire("customerId")
    customer_external_id: str | None = wire("customerExternalId")
    customer_description: str | None = wire("customerDescription")
    task_type_id: OptionalInt = wire("taskType")
    task_type_description: str | None = wire("taskTypeDescription")
    creation_date: LocalDateTime = wire("creationDate")
    task_date: LocalDateTime = wire("taskDate")
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    orientation: str | None = None
    priority: OptionalInt = None
    questionnaire_id: OptionalInt = wire("questionnaireId")
    delivered_on_smartphone: bool | None = wire("deliveredOnSmarthPhone")
    delivered_date: LocalDateTime = wire("deliveredDate")
    finished: bool | None = None
    report: str | None = None
    visualized: bool | None = None
    visualized_date: LocalDateTime = wire("visualizedDate")
    check_in: bool | None = wire("checkIn")
    check_in_date: LocalDateTime = wire("checkInDate")
    check_out: bool | None = wire("checkOut")
    check_out_date: LocalDateTime = wire("checkOutDate")
    checkin_type: OptionalInt = wire("checkinType")
    equipment_ids: list[int] | None = wire("equipmentsId")
    keywords: list[int | str] | None = wire("keyWords")
    keyword_descriptions: list[str] | None = wire("keyWordsDescriptions")
    inputed_km: float | None = wire("inputedKm")
    adopted_km: float | None = wire("adoptedKm")
    attachments: list[Attachment] | None = None
    questionnaires: list[TaskQuestionnaire] | None = None
    signature_url: str | None = wire("signatureUrl")
    check_in_distance: float | None = wire("checkInDistance")
    check_out_distance: float | None = wire("checkOutDistance")
    send_satisfaction_survey: bool | None = wire("sendSatisfactionSurvey")
    survey: str | None = None
    task_url: str | None = wire("taskUrl")
    pendency: str | None = None
    date_last_update: LocalDateTime = wire("dateLastUpdate")
    ticket_id: OptionalInt = wire("ticketId")
    ticket_title: str | None = wire("ticketTitle")
    signature_name: str | None = wire("signatureName")
    signature_document: str | None = wire("signatureDocument")
    expense: OptionalMoney = None
    duration: str | None = None
    duration_decimal: str | None = wire("durationDecimal")
    displacement_start: str | None = wire("displacementStart")
    products: list[TaskProduct] | None = None
    services: list[TaskService] | None = None
    additional_costs: list[TaskAdditionalCost] | None = wire("additionalCosts")
    summary: TaskSummary | None = None
    estimated_duration: str | None = wire("estimatedDuration")
    financial_category: str | None = wire("financialCategory")
    task_status: TaskStatusValue = wire("taskStatus")
    # Only sent on create/upsert:
    task_products: list[TaskProductItem] | None = wire("taskProducts")
    task_services: list[TaskServiceItem] | None = wire("taskServices")
    task_additional_costs: list[TaskAdditionalCostItem] | None = wire("taskAdditionalCosts")
    task_discount: TaskDiscount | None = wire("taskDiscount")


# -- customers ----------------------------------------------------------------------------


class Contact(AuvoModel):
    id: OptionalInt = None
    name: str | None = None
    job_position: str | None = wire("jobPosition")
    email: str | None = None
    phone: str | None = None


class Customer(AuvoModel):
    """A customer. Its name is ``description`` on the wire, except on create (``name``)."""

    id: OptionalInt = None
    external_id: str | None = wire("externalId")
    name: Annotated[str | None, REQUIRED_ON_CREATE] = wire("description", "name")
    cpf_cnpj: str | None = wire("cpfCnpj")
    phone_numbers: TextList = wire("phoneNumber")
    emails: TextList = wire("email")
    manager: str | None = None
    manager_job_position: str | None = wire("managerJobPosition")
    note: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    maximum_visit_time: OptionalInt = wire("maximumVisitTime")
    unit_maximum_time: OptionalInt = wire("unitMaximumTime", "UnitMaximumTime")
    group_ids: list[int] | None = wire("groupsId")
    manager_team_ids: list[int] | None = wire("managerTeamsId")
    manager_ids: list[int] | None = wire("managersId")
    segment_id: OptionalInt = wire("segmentId")
    active: bool | None = None
    address_complement: str | None = wire("adressComplement", "AdressComplement")
    creation_date: Annotated[LocalDateTime, READ_ONLY] = wire("creationDate")
    date_last_update: Annotated[LocalDateTime, READ_ONLY] = wire("dateLastUpdate")
    contacts: list[Contact] | None = None
    attachment_urls: Annotated[list[str] | None, READ_ONLY] = wire("uriAnexos")
    attachments: list[AttachmentUpload] | None = None


class CustomerGroup(AuvoModel):
    id: OptionalInt = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    client_ids: list[int] | None = wire("clientsId")


# -- teams --------------------------------------------------------------------------------


class Team(AuvoModel):
    id: OptionalInt = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    creation_date: Annotated[LocalDateTime, READ_ONLY] = wire("creationDate")
    team_users: list[str] | None = wire("teamUsers")
    team_managers: list[str] | None = wire("teamManagers")
    participants: list[int] | None = None
    managers: list[int] | None = wire("managers", "manangers")


class TeamUser(AuvoModel):
    user_id: OptionalInt = wire("userId", "userID")
    external_id: str | None = wire("externalId")
    name: str | None = None
    job_position: str | None = wire("jobPosition")


# -- task types, segments, keywords, questionnaires -----------------------------------------


class TaskTypeRequirements(AuvoModel):
    fill_report: bool | None = wire("fillReport")
    get_signature: bool | None = wire("getSignature")
    fill_rolled_kilometer: bool | None = wire("fillRolledKilometer")
    email_the_task: bool | None = wire("emailTheTask")
    minimum_number_of_photos: OptionalInt = wire("minimumNumberOfPhotos")
    required_questionnaires: list[int] | None = wire("requiredQuestionnaires")


class TaskType(AuvoModel):
    id: OptionalInt = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    creator_id: OptionalInt = wire("creatorId")
    creation_date: Annotated[LocalDateTime, READ_ONLY] = wire("creationDate")
    standard_time: str | None = wire("standartTime", "standardTime")
    tolerance_time: str | None = wire("toleranceTime")
    standard_questionnaire_id: OptionalInt = wire(
        "standartQuestionnaireId", "standardQuestionnaireId"
    )
    active: bool | None = None
    send_satisfaction_survey: bool | None = wire("sendSatisfactionSurvey")
    requirements: TaskTypeRequirements | None = None


class Segment(AuvoModel):
    id: OptionalInt = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    registration_date: Annotated[LocalDateTime, READ_ONLY] = wire("registrationDate")
    creation_date: Annotated[LocalDateTime, READ_ONLY] = wire("creationDate")


class Keyword(AuvoModel):
    id: OptionalInt = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    registration_date: Annotated[LocalDateTime, READ_ONLY] = wire("registrationDate")
    creation_date: Annotated[LocalDateTime, READ_ONLY] = wire("creationDate")


class Question(AuvoModel):
    id: OptionalInt = None
    answer_type: OptionalInt = wire("answerType")
    description: str | None = None
    sub_title: str | None = wire("subTitle")
    required_answer: bool | None = wire("requiredAnswer")
    creation_date: LocalDateTime = wire("creationDate")


class Questionnaire(AuvoModel):
    id: OptionalInt = None
    description: str | None = None
    header: str | None = None
    footer: str | None = None
    creation_date: LocalDateTime = wire("creationDate")
    questions: list[Question] | None = None


# -- webhooks -----------------------------------------------------------------------------


class Webhook(AuvoModel):
    """A registered hook. Auvo reads the target as ``targetUrl`` and reports ``urlResponse``."""

    id: Annotated[str | None, READ_ONLY] = None
    user_id: OptionalInt = wire("userId")
    entity: Annotated[str | None, REQUIRED_ON_CREATE] = None
    action: Annotated[str | None, REQUIRED_ON_CREATE] = None
    target_url: Annotated[str | None, REQUIRED_ON_CREATE] = wire("targetUrl", "urlResponse")
    creation_date: Annotated[LocalDateTime, READ_ONLY] = wire("creationDate")
    delete_date: Annotated[LocalDateTime, READ_ONLY] = wire("deleteDate")
    active: bool | None = None


# -- expenses -----------------------------------------------------------------------------


class Expense(AuvoModel):
    id: Annotated[OptionalInt, READ_ONLY] = None
    description: str | None = None
    user_to_id: Annotated[OptionalInt, REQUIRED_ON_CREATE] = wire("userToId")
    user_to_name: Annotated[str | None, READ_ONLY] = wire("userToName")
    type_id: Annotated[OptionalInt, REQUIRED_ON_CREATE] = wire("typeId")
    type_name: Annotated[str | None, READ_ONLY] = wire("typeName")
    date: Annotated[LocalDateTime, REQUIRED_ON_CREATE] = wire("date", "expenseDate")
    attachment_url: Annotated[str | None, READ_ONLY] = wire("attachmentUrl")
    attachment: str | None = Field(None, repr=False)
    creation_date: Annotated[LocalDateTime, READ_ONLY] = wire("creationDate")
    amount: Annotated[OptionalMoney, REQUIRED_ON_CREATE] = None


class ExpenseType(AuvoModel):
    id: OptionalInt = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    creator_id: Annotated[OptionalInt, READ_ONLY] = wire("creatorId")
    creation_date: Annotated[LocalDateTime, READ_ONLY] = wire("creationDate")


# -- gps and surveys ----------------------------------------------------------------------


class GpsPosition(AuvoModel):
    user_id: OptionalInt = wire("userId")
    position_date: LocalDateTime = wire("positionDate")
    latitude: float | None = None
    longitude: float | None = None
    accuracy: float | None = None
    battery_level: float | None = wire("batteryLevel")
    network_operator_name: str | None = wire("networkOperatorName", "NetworkOperatorName")


class SatisfactionSurvey(AuvoModel):
    id: OptionalInt = None
    task_id: OptionalInt = wire("taskID", "taskId")
    answer_description: str | None = wire("answerDescription")
    question_description: str | None = wire("questionDescription")
    answer_date: LocalDateTime = wire("answerDate")
    item_id: str | None = wire("itemId")
    email: str | None = None
    answers_item_quantity: OptionalInt = wire("answersItemQuantity")
    score_sum: float | None = wire("scoreSum")
    total_response: OptionalInt = wire("totalResponse")
    total_submitted: OptionalInt = wire("totalSubmitted")


# -- equipment ----------------------------------------------------------------------------


class EquipmentCategory(AuvoModel):
    id: OptionalInt = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    external_id: str | None = wire("externalId")


class Equipment(AuvoModel):
    id: Annotated[OptionalInt, READ_ONLY] = None
    external_id: str | None = wire("externalId")
    parent_equipment_id: OptionalInt = wire("parentEquipmentId")
    associated_customer_id: OptionalInt = wire("associatedCustomerId")
    associated_user_id: OptionalInt = wire("associatedUserId")
    category_id: OptionalInt = wire("categoryId")
    name: Annotated[str | None, REQUIRED_ON_CREATE] = None
    description: str | None = None
    identifier: str | None = None
    image_url: Annotated[str | None, READ_ONLY] = wire("urlImage")
    base64_image: str | None = wire("base64Image", "Base64Image", repr=False)
    attachment_urls: Annotated[list[str] | None, READ_ONLY] = wire("uriAnexos")
    attachments: list[AttachmentUpload] | None = None
    active: bool | None = None
    creation_date: Annotated[LocalDateTime, READ_ONLY] = wire("creationDate")
    expiration_date: LocalDateTime = wire("expirationDate")
    warranty_start_date: LocalDateTime = wire("warrantyStartDate")
    warranty_end_date: LocalDateTime = wire("warrantyEndDate")
    specifications: list[Specification] | None = wire("equipmentSpecifications")


# -- products and services ----------------------------------------------------------------


class ProductCategory(AuvoModel):
    id: OptionalInt = None
    external_id: str | None = wire("externalId")
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None


class StockMovement(AuvoModel):
    id: OptionalInt = None
    operation_user_id: OptionalInt = wire("operationUserId")
    stock_user_id: OptionalInt = wire("stockUserId")
    product_id: IdOrText = wire("productId")
    amount: OptionalMoney = None
    unitary_value: OptionalMoney = wire("unitaryValue", "Unitaryvalue", "unitaryvalue")
    unitary_cost: OptionalMoney = wire("unitaryCost")
    entry: bool | None = None
    addition: bool | None = None
    date: LocalDateTime = None


class EmployeeStock(AuvoModel):
    id: OptionalInt = None
    user_id: OptionalInt = wire("userId")
    amount: OptionalMoney = None
    last_stock_movement: StockMovement | None = wire("lastStockMovement")


class Product(AuvoModel):
    """A product. ``product_id`` is Auvo's GUID; ``code`` (and ``id``) the number in URLs."""

    product_id: Annotated[str | None, READ_ONLY] = wire("productId")
    id: Annotated[IdOrText, READ_ONLY] = None
    code: Annotated[str | None, READ_ONLY] = None
    external_id: str | None = wire("externalId")
    name: Annotated[str | None, REQUIRED_ON_CREATE] = None
    description: str | None = None
    associated_equipment_id: OptionalInt = wire("associatedEquipmentId")
    category_id: OptionalInt = wire("categoryId")
    unitary_value: OptionalMoney = wire("unitaryValue")
    unitary_cost: OptionalMoney = wire("unitaryCost")
    minimum_stock: OptionalMoney = wire("minimumStock")
    total_stock: OptionalMoney = wire("totalStock")
    active: bool | None = None
    base64_image: str | None = wire("base64Image", "Base64Image", repr=False)
    attachment_urls: Annotated[list[str] | None, READ_ONLY] = wire("uriAnexos", "uriAttachments")
    attachments: list[AttachmentUpload] | None = None
    specifications: list[Specification] | None = wire("productSpecifications")
    employees_stock: list[EmployeeStock] | None = wire("employeesStock")


class Service(AuvoModel):
    id: Annotated[str | None, READ_ONLY] = None
    title: Annotated[str | None, REQUIRED_ON_CREATE] = None
    description: str | None = None
    price: OptionalMoney = None
    active: bool | None = None
    fiscal_service_id: str | None = wire("fiscalServiceId")


# -- quotations ---------------------------------------------------------------------------


class QuotationAdditionalCost(AuvoModel):
    id: OptionalInt = None
    cost_id: OptionalInt = wire("costId")
    description: str | None = None
    value: OptionalMoney = None


class QuotationAlteration(AuvoModel):
    id: OptionalInt = None
    key: IdOrText = None
    column: str | None = None
    type: str | None = None
    user_id: OptionalInt = wire("userId")
    date: LocalDateTime = None
    observations: str | None = None
    value: str | None = None


class QuotationProduct(AuvoModel):
    product_id: IdOrText = wire("productId")
    amount: OptionalMoney = wire("amount", "amout")
    unitary_value: OptionalMoney = wire("unitaryValue", "UnitaryValue")


class QuotationService(AuvoModel):
    service_id: IdOrText = wire("serviceId", "id")
    amount: OptionalMoney = wire("amount", "amout", "quantity")
    unitary_value: OptionalMoney = wire("unitaryValue", "UnitaryValue")


class QuotationContact(AuvoModel):
    id: OptionalInt = None
    name: str | None = None
    job: str | None = None
    email: str | None = None
    phone_number: str | None = wire("phoneNumber")


class QuotationSummary(AuvoModel):
    total_products: OptionalMoney = wire("totalProducts")
    total_services: OptionalMoney = wire("totalServices")
    total_additional_costs: OptionalMoney = wire("totalAdditionalCosts")
    net_total_value: OptionalMoney = wire("netTotalValue")
    gross_total_value: OptionalMoney = wire("grossTotalValue")
    discount: Discount | None = None


class QuotationStage(AuvoModel):
    id: OptionalInt = None
    description: str | None = None
    position: OptionalInt = None
    change_stock: bool | None = wire("changeStock")
    is_cancelled: bool | None = wire("isCancelled")
    edit_allowed: bool | None = wire("editAllowed")


class Quotation(AuvoModel):
    """A quotation (orçamento). ``id`` is Auvo's ``publicId``."""

    id: OptionalInt = wire("publicId", "id")
    customer_id: OptionalInt = wire("customerId")
    customer_name: str | None = wire("customerName")
    task_id: OptionalInt = wire("taskID", "taskId")
    discount: OptionalMoney = wire("descount", "discount")
    requester_user_id: OptionalInt = wire("requesterUserId")
    observations: str | None = None
    register_date: LocalDateTime = wire("registerDate")
    request_date: LocalDateTime = wire("requestDate")
    additional_costs: list[QuotationAdditionalCost] | None = wire(
        "aditionalCosts", "additionalCosts"
    )
    alterations: list[QuotationAlteration] | None = None
    products: list[QuotationProduct] | None = None
    services: list[QuotationService] | None = None
    contacts: list[QuotationContact] | None = None
    summary: QuotationSummary | None = None
    current_stage: QuotationStage | None = wire("currentStage", "CurrentStage")


# -- tickets ------------------------------------------------------------------------------


class TicketChoice(AuvoModel):
    id: OptionalInt = None
    field: OptionalInt = None
    description: str | None = None
    order: OptionalInt = None
    creation_date: LocalDateTime = wire("creationDate")
    removed: bool | None = None


class TicketCustomFieldDefinition(AuvoModel):
    id: OptionalInt = None
    order: OptionalInt = None
    title: str | None = None
    field_type: str | None = wire("fieldType")
    field_visibility: str | None = wire("fieldVisibility")
    description: str | None = None
    primary: bool | None = None
    required: bool | None = None
    removed: bool | None = None
    creation_date: LocalDateTime = wire("creationDate")
    multiple_choice_items: list[TicketChoice] | None = wire("multipleChoiceItems")


class TicketCustomField(AuvoModel):
    value: str | None = None
    value_description: str | None = wire("valueDescription")
    definition: TicketCustomFieldDefinition | None = wire("customFieldTicket")


class TicketAlteration(AuvoModel):
    alteration_type: OptionalInt = wire("alterationType")
    alteration_date: LocalDateTime = wire("alterationDate")
    user_id: OptionalInt = wire("userId")
    user_name: str | None = wire("userName")
    from_: str | None = wire("from")
    to: str | None = None
    helper: str | None = None
    from_description: str | None = wire("fromDescription")
    to_description: str | None = wire("toDescription")
    helper_description: str | None = wire("helperDescription")


class TicketInteraction(AuvoModel):
    id: OptionalInt = None
    ticket_id: OptionalInt = wire("ticketId")
    creation_date: LocalDateTime = wire("creationDate")
    user_id: OptionalInt = wire("userId")
    user_name: str | None = wire("userName")
    title: str | None = None
    message: str | None = None
    interaction_type: str | None = wire("interactionType")
    email_message_id: str | None = wire("emailMenssageId", "emailMessageId")
    email_contact: str | None = wire("emailContact")
    email_contact_name: str | None = wire("emailContactName")
    email_reference: str | None = wire("emailReference")
    attachment_urls: list[str] | None = wire("urlAttachments")


class TicketStatusChange(AuvoModel):
    id: OptionalInt = None
    description: str | None = wire("descripton", "description")
    check_in: LocalDateTime = wire("checkIn")
    check_out: LocalDateTime = wire("checkOut")


class Ticket(AuvoModel):
    id: Annotated[OptionalInt, READ_ONLY] = None
    creation_date: Annotated[LocalDateTime, READ_ONLY] = wire("creationDate")
    title: Annotated[str | None, REQUIRED_ON_CREATE] = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    priority: IdOrText = None
    team_id: OptionalInt = wire("teamId")
    team_name: str | None = wire("teamName")
    user_creator_id: OptionalInt = wire("userCreatorId")
    user_creator_name: str | None = wire("userCreatorName")
    user_responsible_id: OptionalInt = wire("userResponsableId")
    user_responsible_name: str | None = wire("userResponsableName")
    customer_id: IdOrText = wire("customerId")
    customer_name: str | None = wire("customerName")
    customer_email: str | None = wire("customerEmail")
    customer_phone_number: str | None = wire("customerPhoneNumber")
    equipment_id: OptionalInt = wire("equipmentId")
    request_type_id: OptionalInt = wire("requestTypeId")
    request_type_description: str | None = wire("requestTypeDescription")
    status_id: OptionalInt = wire("statusId")
    status_description: str | None = wire("statusDescription")
    status_type: str | None = wire("statusType")
    end_date: LocalDateTime = wire("endDate")
    email_message_id: str | None = wire("emailMenssageId", "emailMessageId")
    requester_email: Annotated[str | None, REQUIRED_ON_CREATE] = wire("requesterEmail")
    requester_name: str | None = wire("requesterName")
    task_ids: list[int] | None = wire("taskIDs", "taskIds")
    attachment_urls: list[str] | None = wire("urlAttachments")
    custom_fields: list[TicketCustomField] | None = wire("customFields")
    alterations: list[TicketAlteration] | None = None
    interactions: list[TicketInteraction] | None = None
    status_changes: list[TicketStatusChange] | None = wire("statusAlterations")


# -- service orders (the blueprint's Projects) ----------------------------------------------


class NamedRef(AuvoModel):
    id: OptionalInt = None
    name: str | None = None


class ServiceOrderItem(AuvoModel):
    id: IdOrText = None
    name: str | None = None
    quantity: OptionalMoney = None
    unit_value: OptionalMoney = wire("unitValue")
    total_value: OptionalMoney = wire("totalValue")


class ServiceOrderVisit(AuvoModel):
    task_id: OptionalInt = wire("taskId", "taskID")
    external_code: str | None = wire("externalCode")
    user_from_id: OptionalInt = wire("idUserFrom")
    user_to_id: OptionalInt = wire("idUserTo")
    customer_code: OptionalInt = wire("customerCode")
    task_type_code: OptionalInt = wire("taskTypeCode")
    task_date: LocalDateTime = wire("taskDate")
    priority: OptionalInt = None
    finished: bool | None = None
    equipment_ids: list[int] | None = wire("equipmentsId")
    task_url: str | None = wire("taskUrl")
    products: list[ServiceOrderItem | int | str] | None = None
    services: list[ServiceOrderItem | int | str] | None = None
    additional_costs: list[ServiceOrderItem | int | str] | None = wire("additionalCosts")
    status: str | None = None
    discount_type: str | None = wire("discountType")
    discount_value: OptionalMoney = wire("discountValue")
    total_value: OptionalMoney = wire("totalValue")
    summary: TaskSummary | None = None


class ServiceOrderSummary(AuvoModel):
    total_product_value: OptionalMoney = wire("totalProductValue")
    total_service_value: OptionalMoney = wire("totalServiceValue")
    total_additional_cost_value: OptionalMoney = wire("totalAdditionalCostValue")
    visits_discount: OptionalMoney = wire("visitsDiscount")
    project_discount_value: OptionalMoney = wire("projectDiscountValue")
    project_discount_type: str | None = wire("projectDiscountType")
    total_project_value: OptionalMoney = wire("totalProjectValue")


class ServiceOrder(AuvoModel):
    """A service order; the blueprint calls it a Project (``/serviceorders``)."""

    id: str | None = None
    project_code: OptionalInt = wire("projectCode")
    external_code: str | None = wire("externalCode")
    customer_id: OptionalInt = wire("customerId")
    customer_name: str | None = wire("customerName")
    status_id: str | None = wire("statusId")
    description: str | None = None
    task_type_id: OptionalInt = wire("taskTypeId")
    default_questionnaire_id: OptionalInt = wire("defaultQuestionnaireId")
    default_responsible_id: OptionalInt = wire("defaultResponsibleId")
    priority: OptionalInt = None
    keywords: list[NamedRef] | None = None
    attachments: list[Any] | None = None
    equipments: list[Any] | None = None
    visits: list[ServiceOrderVisit] | None = None
    products: list[ServiceOrderItem | int | str] | None = None
    services: list[ServiceOrderItem | int | str] | None = None
    additional_costs: list[ServiceOrderItem | int | str] | None = wire("additionalCosts")
    report_link: str | None = wire("reportLink")
    detailed_report_link: str | None = wire("detailedReportLink")
    summary: ServiceOrderSummary | None = None


# -- webhook deliveries -------------------------------------------------------------------


class WebhookEvent(AuvoModel):
    """One delivery Auvo POSTs to a registered hook; ``entities`` are typed by ``entity_type``."""

    entity_type: str = wire("EntityType", "entityType", default=...)
    action: str = wire("Action", "action", default=...)
    entity_id: IdOrText = wire("EntityId", "entityId")
    user_admin_id: OptionalInt = wire("UserAdminId", "userAdminId")
    webhook_id: IdOrText = wire("WebhookId", "webhookId")
    date: LocalDateTime = wire("Date", "date")
    entities: list[Task | Customer | User | dict[str, Any]] = wire(
        "Entities", "entities", default_factory=list
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
