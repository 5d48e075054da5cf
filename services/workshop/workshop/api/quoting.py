"""Quoting (报价): the operation catalogue, canned jobs, labour, part and sublet lines, and the customer's answer.

A labour line names an operation of the catalogue, which gives its description, standard hours and skill;
the repair order does not know the car's model, so the line's input may name it to take a model-specific
entry (the generic entry otherwise). Approved parts are reserved at once; declined lines stay on the order
as recommendations and are published as work_declined for crm.
"""
from decimal import Decimal

from nameko.rpc import rpc
from sqlalchemy import func, or_, select

from contracts.workshop import (
    REPAIR_ORDER_APPROVED, WORK_DECLINED, Approval, CannedJobApplication, CannedJobQuery, CannedJobView,
    LabourLineInput, NewCannedJob, NewOperation, OperationChanges, OperationQuery, OperationView, PartLineInput,
    SubletLineInput,
)
from svckit.db import columns, utcnow
from svckit.errors import Conflict, InvalidInput, NotFound
from svckit.schemas import load
from workshop.models import LabourLine, PartLine
from workshop.models.quoting import CannedJob, CannedJobOperation, CannedJobPart, Operation, SubletLine
from workshop.rules import repair_order as ro
from workshop.rules.quoting import GENERIC, catalogue_entry, labour_line_values

CATALOGUE_KEEPERS = ("foreman", "site_manager")
QUOTERS = ("service_advisor", "foreman")


class QuotingApi:
    # --- the operation catalogue (group-wide) ---

    @rpc
    def create_operation(self, payload):
        self.auth.require_role(*CATALOGUE_KEEPERS)
        data = load(NewOperation, payload)
        model = data.pop("model") or GENERIC
        if self.db.scalars(select(Operation).where(Operation.code == data["code"], Operation.model == model)).first():
            which = f"for {model}" if model else "generic"
            raise Conflict(f"The catalogue already has a {which} entry for {data['code']}.",
                           {"code": [f"Already in the catalogue ({which})."]})
        operation = self.db.add(Operation(model=model, **data))
        self.db.commit()
        return _operation_view(operation)

    @rpc
    def update_operation(self, operation_id, payload):
        self.auth.require_role(*CATALOGUE_KEEPERS)
        changes = load(OperationChanges, payload)
        operation = self._operation(operation_id)
        for field, value in changes.items():
            setattr(operation, field, value)
        operation.updated_at = utcnow()
        self.db.commit()
        return _operation_view(operation)

    @rpc
    def get_operation(self, operation_id):
        return _operation_view(self._operation(operation_id))

    @rpc
    def list_operations(self, payload=None):
        query = load(OperationQuery, payload)
        statement = select(Operation).order_by(Operation.code, Operation.model).limit(query["limit"])
        if query["code_prefix"]:
            statement = statement.where(Operation.code.startswith(query["code_prefix"].upper(), autoescape=True))
        if query["text"]:
            pattern = f"%{query['text'].lower()}%"
            statement = statement.where(or_(func.lower(Operation.code).like(pattern),
                                            func.lower(Operation.description).like(pattern)))
        if query["model"]:
            statement = statement.where(Operation.model.in_((GENERIC, query["model"])))
        if not query["include_inactive"]:
            statement = statement.where(Operation.active.is_(True))
        return [_operation_view(operation) for operation in self.db.scalars(statement)]

    # --- canned jobs (套餐) ---

    @rpc
    def create_canned_job(self, payload):
        self.auth.require_role(*CATALOGUE_KEEPERS)
        data = load(NewCannedJob, payload)
        if self.db.scalars(select(CannedJob).where(CannedJob.code == data["code"])).first():
            raise Conflict(f"There is already a canned job {data['code']}.", {"code": ["Already used."]})
        errors = {}
        for index, item in enumerate(data["operations"]):
            if self._catalogue_entry(item["operation_code"], data["model"]) is None:
                errors[f"operations.{index}.operation_code"] = ["Not in the operation catalogue."]
        for index, item in enumerate(data["parts"]):
            try:
                self.parts.current_part(item["part_number"])
            except NotFound:
                errors[f"parts.{index}.part_number"] = ["Not in the parts catalogue."]
        if errors:
            raise InvalidInput("The canned job names operations or parts that do not exist.", errors)
        job = self.db.add(CannedJob(
            code=data["code"], name=data["name"], model=data["model"], active=True,
            operations=[CannedJobOperation(position=i, **item) for i, item in enumerate(data["operations"])],
            parts=[CannedJobPart(position=i, **item) for i, item in enumerate(data["parts"])]))
        self.db.commit()
        return _canned_job_view(job)

    @rpc
    def get_canned_job(self, code):
        return _canned_job_view(self._canned_job(code, field="code"))

    @rpc
    def list_canned_jobs(self, payload=None):
        query = load(CannedJobQuery, payload)
        statement = select(CannedJob).where(CannedJob.active.is_(True)).order_by(CannedJob.code)
        if query["model"]:
            statement = statement.where(or_(CannedJob.model.is_(None), CannedJob.model == query["model"]))
        if query["code_prefix"]:
            statement = statement.where(CannedJob.code.startswith(query["code_prefix"].upper(), autoescape=True))
        return [_canned_job_view(job) for job in self.db.scalars(statement)]

    @rpc
    def add_canned_job(self, repair_order_id, payload):
        """Quote every operation and part of a canned job on the order, at today's catalogue and prices."""
        self.auth.require_role(*QUOTERS)
        application = load(CannedJobApplication, payload)
        job = self._canned_job(application["canned_job_code"], field="canned_job_code")
        order = self._repair_order(repair_order_id)
        order.require_quotable()
        labour = []
        for item in job.operations:
            entry = self._catalogue_entry(item.operation_code, job.model)
            if entry is None:
                raise Conflict(f"Operation {item.operation_code} of canned job {job.code} is no longer in the "
                               "catalogue.", {"canned_job_code": [f"{item.operation_code} is not in the catalogue."]})
            labour.append((entry, item.hours if item.hours is not None else entry.standard_hours))
        parts = [(self.parts.current_part(item.part_number), item.quantity) for item in job.parts]
        rate = self._labour_rate(None)
        for entry, hours in labour:
            self._append_labour_line(order, entry.code, entry.description, hours, rate, application["pay_type"],
                                     entry.skill_code)
        for part, quantity in parts:
            self._append_part_line(order, part, quantity, application["pay_type"])
        self.db.commit()
        return self._view(order)

    # --- lines ---

    @rpc
    def add_labour_line(self, repair_order_id, payload):
        self.auth.require_role(*QUOTERS)
        line = load(LabourLineInput, payload)
        order = self._repair_order(repair_order_id)
        order.require_quotable()
        values = labour_line_values(line, self._catalogue_entry(line["operation_code"], line["model"]))
        self._append_labour_line(order, line["operation_code"], values["description"], values["hours"],
                                 self._labour_rate(line["rate"]), line["pay_type"], values["skill_code"])
        self.db.commit()
        return self._view(order)

    @rpc
    def add_part_line(self, repair_order_id, payload):
        self.auth.require_role(*QUOTERS)
        line = load(PartLineInput, payload)
        part = self.parts.current_part(line["part_number"])  # a superseded number is quoted as its successor
        order = self._repair_order(repair_order_id)
        order.require_quotable()
        self._append_part_line(order, part, line["quantity"], line["pay_type"])
        self.db.commit()
        return self._view(order)

    @rpc
    def add_sublet_line(self, repair_order_id, payload):
        self.auth.require_role(*QUOTERS)
        line = load(SubletLineInput, payload)
        order = self._repair_order(repair_order_id)
        order.require_quotable()
        order.sublet_lines.append(SubletLine(
            position=len(order.sublet_lines), vendor=line["vendor"], description=line["description"],
            cost=ro.money(line["cost"]), price=ro.money(line["price"]), pay_type=line["pay_type"],
            approval=ro.PENDING))
        self.db.commit()
        return self._view(order)

    # --- the customer's answer ---

    @rpc
    def approve(self, repair_order_id, payload):
        """The customer's answer to the quote; approved parts are reserved at once, declined work is published."""
        self.auth.require_role("service_advisor")
        answer = load(Approval, payload)
        order = self._repair_order(repair_order_id)
        if order.status not in ro.QUOTABLE | ro.ADDITIONAL_WORK:
            raise Conflict(f"The repair order is {order.status}; quoted lines are answered until the job is "
                           "completed.", {"status": [f"Is {order.status}."]})
        additional = order.is_additional_work
        approved, declined = order.choose_lines(answer["approved_line_ids"], answer["declined_line_ids"])
        now = utcnow()
        if not additional and order.status != ro.AWAITING_APPROVAL:
            self._move(order, ro.AWAITING_APPROVAL, self.auth.username, now, reason="Quote presented.")
            self._end_diagnosis(order, self.auth.username, now)
        for line in declined:
            line.approval = ro.LINE_DECLINED
        for line in approved:
            line.approval = ro.LINE_APPROVED
            if isinstance(line, PartLine):
                reservation = self.parts.reserve({
                    "site_id": order.site_id, "part_number": line.part_number, "quantity": str(line.quantity),
                    "reference": f"ro-line:{line.id}", "repair_order_id": order.id})
                line.reservation_id = reservation["reservation_id"]
                line.reservation_status = reservation["status"]
        short = any(line.reservation_status != "reserved"
                    for line in order.part_lines if line.approval == ro.LINE_APPROVED)
        if not additional:
            self._move(order, ro.WAITING_FOR_PARTS if short else ro.APPROVED, self.auth.username, now)
        elif short and order.status == ro.APPROVED:  # not started yet: it now waits for the additional parts
            self._move(order, ro.WAITING_FOR_PARTS, self.auth.username, now, reason="Additional parts are short.")
        self.db.emit(REPAIR_ORDER_APPROVED, {
            "repair_order_id": order.id, "status": order.status,
            "approved_line_ids": [line.id for line in approved], "declined_line_ids": [line.id for line in declined],
            "channel": answer["channel"],
        }, site_id=order.site_id)
        if declined:
            self.db.emit(WORK_DECLINED, {
                "repair_order_id": order.id, "visit_id": order.visit_id, "customer_id": order.customer_id,
                "vehicle_id": order.vehicle_id, "mileage_km": order.mileage_km, "declined_at": now.isoformat(),
                "lines": [_declined_line(line) for line in declined],
            }, site_id=order.site_id)
        self.db.commit()
        return self._view(order)

    # --- helpers ---

    def _catalogue_entry(self, code, model):
        """The active catalogue entry for `code` on `model` (model-specific wins over generic), or None."""
        models = (GENERIC, model) if model else (GENERIC,)
        entries = self.db.scalars(select(Operation).where(
            Operation.code == code, Operation.model.in_(models), Operation.active.is_(True))).all()
        return catalogue_entry(entries, code, model)

    def _operation(self, operation_id):
        operation = self.db.get(Operation, str(operation_id))
        if operation is None:
            raise NotFound(f"No operation {operation_id} in the catalogue.", {"operation_id": ["Unknown operation."]})
        return operation

    def _canned_job(self, code, field):
        job = self.db.scalars(select(CannedJob).where(CannedJob.code == code, CannedJob.active.is_(True))).first()
        if job is None:
            raise NotFound(f"No canned job {code}.", {field: ["Unknown canned job."]})
        return job

    def _labour_rate(self, rate):
        return ro.money(rate if rate is not None else Decimal(str(self.config.get("DEFAULT_LABOUR_RATE", "300.00"))))

    def _append_labour_line(self, order, code, description, hours, rate, pay_type, skill_code):
        order.labour_lines.append(LabourLine(
            position=len(order.labour_lines), operation_code=code, description=description, hours=hours,
            rate=rate, pay_type=pay_type, skill_code=skill_code, approval=ro.PENDING))

    def _append_part_line(self, order, part, quantity, pay_type):
        order.part_lines.append(PartLine(
            position=len(order.part_lines), part_number=part["part_number"], description=part["name"],
            quantity=quantity, unit_price=Decimal(part["workshop_price"]), pay_type=pay_type, approval=ro.PENDING))


def _operation_view(operation):
    return OperationView().dump({**columns(operation), "model": operation.model or None})


def _canned_job_view(job):
    return CannedJobView().dump({
        **columns(job), "operations": [columns(item) for item in job.operations],
        "parts": [columns(item) for item in job.parts]})


def _declined_line(line):
    if isinstance(line, LabourLine):
        kind, code = "labour", line.operation_code
    elif isinstance(line, PartLine):
        kind, code = "part", line.part_number
    else:
        kind, code = "sublet", None
    return {"line_id": line.id, "kind": kind, "code": code, "description": line.description,
            "amount": str(line.amount), "pay_type": line.pay_type}
