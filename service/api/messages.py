"""POST /api/v1/messages and the citizen's status check by tracking code."""

from flask.views import MethodView

from service import store
from service.api.blueprint import Blueprint
from service.api.responses import IDEMPOTENT, created
from service.api.schemas import MessageCreated, MessageIn, MessageStatus
from service.auth import ADMIN, APP, current_account, require_roles
from service.errors import fail
from service.intake import submit_message

blp = Blueprint(
    "messages", __name__, url_prefix="/api/v1/messages", description="诉求 messages from citizens"
)
message_created = MessageCreated()


@blp.route("")
class Messages(MethodView):
    @require_roles(APP)
    @blp.doc(**IDEMPOTENT)
    @blp.arguments(MessageIn)
    @blp.response(201, MessageCreated)
    def post(self, data):
        """Send a message; the answer carries its tracking code. Idempotency-Key retries safely."""
        return created(
            lambda key: submit_message(current_account(), data, message_created.dump, key)
        )


@blp.route("/<string:tracking_code>")
class MessageByTrackingCode(MethodView):
    @require_roles(APP, ADMIN)
    @blp.response(200, MessageStatus)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, tracking_code):
        """The message's status, as the citizen sees it in the app: no contact data."""
        message = store.messages.fetch_message_by_tracking_code(tracking_code)
        if message is None:
            fail(404, "No message has this tracking code.")
        return message
