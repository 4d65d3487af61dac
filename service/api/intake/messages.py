"""诉求 messages: posted by the apps; read by the citizen through the tracking code, and by
staff within their scope."""

from flask.views import MethodView

from service import store
from service.access import disclosure
from service.access.auth import (
    ANALYST,
    APP,
    HANDLER,
    OFFICIAL,
    STAFF,
    current_account,
    require_roles,
)
from service.access.limits import limit_per_citizen
from service.access.scope import scope_of
from service.api.blueprint import Blueprint
from service.api.responses import IDEMPOTENT, created, idempotent
from service.api.schemas.messages import (
    DispatchIn,
    EvaluationIn,
    MessageCreated,
    MessageEventOut,
    MessageIn,
    MessageQuery,
    MessageStatus,
    MessageView,
    NoteIn,
    ReplyIn,
    ReturnIn,
)
from service.api.schemas.themes import ThemeCorrectionIn
from service.handling import take_step
from service.handling.lifecycle import STEPS
from service.intake import submit_message
from service.platform.errors import fail
from service.scoring import replies, themes

blp = Blueprint(
    "messages", __name__, url_prefix="/api/v1/messages", description="诉求 messages from citizens"
)
message_created = MessageCreated()


@blp.route("")
class Messages(MethodView):
    @require_roles(APP)
    @limit_per_citizen
    @blp.doc(**IDEMPOTENT)
    @blp.arguments(MessageIn)
    @blp.response(201, MessageCreated)
    def post(self, data):
        """Send a message; the answer carries its tracking code. Idempotency-Key retries safely."""
        return created(
            lambda key: submit_message(current_account(), data, message_created.dump, key)
        )

    @require_roles(*STAFF)
    @blp.arguments(MessageQuery, location="query")
    @blp.response(200, MessageView(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Messages in the caller's scope, newest first; masked except for the handler."""
        scope = scope_of(current_account())
        messages, pagination_parameters.item_count = store.messages.fetch_messages(
            scope,
            **query,
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        return disclosure.show_messages(scope, messages)


@blp.route("/<id:message_id>")
class MessageById(MethodView):
    @require_roles(*STAFF)
    @blp.response(200, MessageView)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, message_id):
        """One message in the caller's scope (404 outside it); masked except for the handler."""
        scope = scope_of(current_account())
        message = store.messages.fetch_message(scope, message_id)
        if message is None:
            fail(404, "No message has this id.")
        shown = disclosure.show_messages(scope, [message])[0]
        return {**shown, "repeats": store.messages.fetch_repeats(scope, message)}


@blp.route("/<tracking_code:tracking_code>")
class MessageByTrackingCode(MethodView):
    @require_roles(APP)
    @blp.response(200, MessageStatus)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, tracking_code):
        """The message's status, as the citizen sees it in the app: no contact data."""
        message = store.messages.fetch_message_by_tracking_code(tracking_code)
        if message is None:
            fail(404, "No message has this tracking code.")
        return message


message_view = MessageView()


def _staff_step(message_id: int, action: str, data: dict):
    """Take a handling step on a message of the caller's scope (404 outside it)."""
    account = current_account()
    scope = scope_of(account)
    message = store.messages.fetch_message(scope, message_id)
    if message is None:
        fail(404, "No message has this id.")
    answer = idempotent(
        lambda remember: take_step(account, message, action, data, answer=remember),
        lambda changed: message_view.dump(disclosure.message_for(scope, changed)),
    )
    if action == "reply":  # committed: now its quality, or a worker's job for it
        replies.after_reply(message_id)
    return answer


#: The staff's handling steps: (what to send, what the step is), their roles from lifecycle.
STEP_ENDPOINTS = {
    "dispatch": (
        DispatchIn,
        "转办: send an accepted message to a department of the region, as ordinary or "
        "difficult (which sets its time limit, counted from acceptance).",
    ),
    "start": (NoteIn, "办理: the department takes the message up; this is its first contact."),
    "return": (ReturnIn, "退单: give back a wrongly dispatched message, saying why."),
    "reply": (ReplyIn, "答复: the department's answer, which the citizen reads by tracking code."),
    "close": (NoteIn, "办结: close a replied message; it then awaits the citizen's evaluation."),
}


def _register_step(action: str, arguments: type, summary: str) -> None:
    class Step(MethodView):
        @require_roles(STEPS[action].role)
        @blp.doc(summary=summary, **IDEMPOTENT)
        @blp.arguments(arguments)
        @blp.response(200, MessageView)
        @blp.alt_response(409, response="DEFAULT_ERROR")
        def post(self, data, message_id):
            return _staff_step(message_id, action, data)

    blp.route(f"/<id:message_id>/{action}", endpoint=f"message_{action}")(Step)


for _action, (_arguments, _summary) in STEP_ENDPOINTS.items():
    _register_step(_action, _arguments, _summary)


@blp.route("/<id:message_id>/events")
class Events(MethodView):
    @require_roles(*STAFF)
    @blp.response(200, MessageEventOut(many=True))
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, message_id):
        """The message's handling, step by step; notes masked except for the handler."""
        scope = scope_of(current_account())
        message = store.messages.fetch_message(scope, message_id)
        if message is None:
            fail(404, "No message has this id.")
        events = store.messages.fetch_events(message)
        return [disclosure.event_for(scope, message, e) for e in events]


@blp.route("/<id:message_id>/theme")
class MessageTheme(MethodView):
    @require_roles(HANDLER, OFFICIAL, ANALYST)
    @blp.arguments(ThemeCorrectionIn)
    @blp.response(200, MessageView)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def put(self, data, message_id):
        """Set the message's theme by hand (an unclassified one, or a wrong placement): kept
        as source `staff`, audited, and learnt from at the next `flask themes train`."""
        account = current_account()
        scope = scope_of(account)
        message = store.messages.fetch_message(scope, message_id)
        if message is None:
            fail(404, "No message has this id.")
        corrected = themes.correct(account, message, data["theme_code"], data.get("note"))
        return disclosure.message_for(scope, corrected)


message_status = MessageStatus()


@blp.route("/<tracking_code:tracking_code>/evaluation")
class Evaluation(MethodView):
    @require_roles(APP)
    @blp.doc(**IDEMPOTENT)
    @blp.arguments(EvaluationIn)
    @blp.response(200, MessageStatus)
    @blp.alt_response(409, response="DEFAULT_ERROR")
    def post(self, data, tracking_code):
        """回访: the citizen evaluates a closed message; 不满意 reopens it (a setting)."""
        message = store.messages.fetch_message_by_tracking_code(tracking_code)
        if message is None:
            fail(404, "No message has this tracking code.")
        account = current_account()
        return idempotent(
            lambda remember: take_step(account, message, "evaluate", data, answer=remember),
            message_status.dump,
        )
