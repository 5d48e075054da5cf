"""Diagnosis (诊断): a technician diagnoses the car, writes findings per concern with the codes read and photos,
and the finished diagnosis becomes the quote presented to the customer."""
import base64
import hashlib
import logging

from nameko.rpc import rpc
from sqlalchemy import select
from sqlalchemy.orm import undefer

from contracts.workshop import DiagnosisStart, DiagnosisView, FindingView, NewFinding, PhotoContent, PhotoUpload, PhotoView
from svckit.db import columns, utcnow
from svckit.errors import Conflict, InvalidInput, NotFound
from svckit.schemas import load
from svckit.uploads import accepted_upload
from workshop.api.repair_orders import technician_problem
from workshop.models.diagnosis import DiagnosisSession, Finding, FindingCode, FindingPhoto
from workshop.rules import repair_order as ro
from workshop.rules.diagnosis import DEFAULT_MAX_PHOTO_BYTES, DIAGNOSABLE

log = logging.getLogger(__name__)

DIAGNOSTICIANS = ("technician", "foreman")


class DiagnosisApi:
    @rpc
    def start_diagnosis(self, repair_order_id, payload):
        self.auth.require_role(*DIAGNOSTICIANS)
        data = load(DiagnosisStart, payload)
        technician = self.training.get_staff(data["technician_id"])
        order = self._repair_order(repair_order_id)
        problem = technician_problem(technician, order.site_id)
        if problem:
            raise InvalidInput(problem, {"technician_id": [problem]})
        now = utcnow()
        self._move(order, ro.DIAGNOSING, self.auth.username, now)
        self.db.add(DiagnosisSession(repair_order_id=order.id, technician_id=technician["staff_id"],
                                     started_by=self.auth.username, started_at=now))
        self.db.commit()
        return self._view(order)

    @rpc
    def add_finding(self, repair_order_id, payload):
        self.auth.require_role(*DIAGNOSTICIANS)
        data = load(NewFinding, payload)
        order = self._repair_order(repair_order_id)
        _require_diagnosable(order)
        count = len(self._findings(order.id))
        finding = self.db.add(Finding(
            repair_order_id=order.id, position=count, concern=data["concern"], finding=data["finding"],
            cause=data["cause"], notes=data["notes"], recorded_by=self.auth.username, recorded_at=utcnow(),
            codes=[FindingCode(position=i, **code) for i, code in enumerate(data["codes"])]))
        self.db.commit()
        return self._finding_view(finding)

    @rpc
    def add_finding_photo(self, repair_order_id, finding_id, payload):
        """Keep a photo of a finding; its bytes must be the JPEG, PNG or WebP image it is declared as."""
        self.auth.require_role(*DIAGNOSTICIANS)
        upload = load(PhotoUpload, payload)
        order = self._repair_order(repair_order_id)
        finding = self._finding(order, finding_id)
        _require_diagnosable(order)
        content = accepted_upload(upload, int(self.config.get("MAX_PHOTO_BYTES", DEFAULT_MAX_PHOTO_BYTES)))
        photo = FindingPhoto(filename=upload["filename"], content_type=upload["content_type"], size_bytes=len(content),
                             sha256=hashlib.sha256(content).hexdigest(), content=content,
                             uploaded_by=self.auth.username, uploaded_at=utcnow())
        finding.photos.append(photo)
        self.db.commit()
        log.info("photo %s (%s, %d bytes) of finding %s by %s", photo.id, photo.content_type, photo.size_bytes,
                 finding.id, photo.uploaded_by)
        return PhotoView().dump(columns_without_content(photo))

    @rpc
    def get_finding_photo(self, repair_order_id, finding_id, photo_id):
        """The photo with its bytes (base64) and content type."""
        self._finding(self._repair_order(repair_order_id), finding_id)
        photo = self.db.scalars(select(FindingPhoto).options(undefer(FindingPhoto.content)).where(
            FindingPhoto.id == str(photo_id), FindingPhoto.finding_id == str(finding_id))).first()
        if photo is None:
            raise NotFound(f"No photo {photo_id} of finding {finding_id}.", {"photo_id": ["Unknown photo."]})
        return PhotoContent().dump({**columns_without_content(photo),
                                    "content_base64": base64.b64encode(photo.content).decode()})

    @rpc
    def finish_diagnosis(self, repair_order_id):
        """The diagnosis is done and the quote is presented to the customer (awaiting approval)."""
        self.auth.require_role(*DIAGNOSTICIANS, "service_advisor")
        order = self._repair_order(repair_order_id)
        if order.status == ro.OPENED:
            raise Conflict("The diagnosis has not started.", {"status": ["Is opened: start the diagnosis first."]})
        if order.status == ro.DIAGNOSING and not self._findings(order.id):
            raise Conflict("Write at least one finding before finishing the diagnosis.",
                           {"findings": ["No findings yet."]})
        now = utcnow()
        self._move(order, ro.AWAITING_APPROVAL, self.auth.username, now, reason="Quote presented.")
        self._end_diagnosis(order, self.auth.username, now)
        self.db.commit()
        return self._view(order)

    @rpc
    def get_diagnosis(self, repair_order_id):
        order = self._repair_order(repair_order_id)
        sessions = self.db.scalars(select(DiagnosisSession).where(DiagnosisSession.repair_order_id == order.id)
                                   .order_by(DiagnosisSession.started_at))
        return DiagnosisView().dump({
            "repair_order_id": order.id, "status": order.status,
            "sessions": [columns(session) for session in sessions], "findings": self._finding_views(order)})

    # --- helpers ---

    def _findings(self, repair_order_id):
        return self.db.scalars(select(Finding).where(Finding.repair_order_id == repair_order_id)
                               .order_by(Finding.position)).all()

    def _finding_views(self, order):
        """The findings of an order, to be dumped within a view that nests FindingView."""
        return [_finding_values(finding) for finding in self._findings(order.id)]

    def _finding_view(self, finding):
        return FindingView().dump(_finding_values(finding))

    def _finding(self, order, finding_id):
        finding = self.db.get(Finding, str(finding_id))
        if finding is None or finding.repair_order_id != order.id:
            raise NotFound(f"No finding {finding_id} on repair order {order.id}.", {"finding_id": ["Unknown finding."]})
        return finding

    def _end_diagnosis(self, order, by, at):
        """Close the diagnosis in progress, if any (the quote is being presented)."""
        for session in self.db.scalars(select(DiagnosisSession).where(
                DiagnosisSession.repair_order_id == order.id, DiagnosisSession.finished_at.is_(None))):
            session.finished_at, session.finished_by = at, by


def _require_diagnosable(order):
    if order.status not in DIAGNOSABLE:
        raise Conflict(f"Findings are written before the work is approved; the repair order is {order.status}.",
                       {"status": [f"Is {order.status}; findings only while {', '.join(sorted(DIAGNOSABLE))}."]})


def _finding_values(finding):
    return {**columns(finding), "codes": [columns(code) for code in finding.codes],
            "photos": [columns_without_content(photo) for photo in finding.photos]}


def columns_without_content(photo):
    """A photo's columns but its bytes (which stay unloaded unless asked for)."""
    return {column.key: getattr(photo, column.key) for column in photo.__table__.columns if column.key != "content"}
