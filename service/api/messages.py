"""诉求 messages: posted by the apps; read by the citizen through the tracking code, and by
staff within their scope."""

from flask.views import MethodView

from service import disclosure, store
from service.api.blueprint import Blueprint
from service.api.responses import IDEMPOTENT, created
from service.api.schemas import (
    MessageCreated,
    MessageIn,
    MessageQuery,
    MessageStatus,
    MessageView,
)
from service.auth import APP, STAFF, current_account, require_roles
from service.errors import fail
from service.intake import submit_message
from service.limits import limit_per_citizen
from service.scope import scope_of

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


@blp.route("/<int:message_id>")
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
        return disclosure.show_messages(scope, [message])[0]


@blp.route("/<string:tracking_code>")
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
