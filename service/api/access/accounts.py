"""Accounts, for admins: what ``flask --app wsgi accounts`` does, over the API."""

from flask.views import MethodView

from service import store
from service.access import accounts
from service.access.auth import ADMIN, current_account, require_roles
from service.api.blueprint import Blueprint
from service.api.responses import IDEMPOTENT, idempotency_key, once_per_key, respond
from service.api.schemas.accounts import AccountCreated, AccountIn, AccountOut
from service.platform.errors import fail
from service.store.intake.idempotency import StoredAnswer, add_answer, as_json

blp = Blueprint("accounts", __name__, url_prefix="/api/v1/accounts", description="API accounts")
account_out = AccountOut()


@blp.route("")
class Accounts(MethodView):
    @require_roles(ADMIN)
    @blp.response(200, AccountOut(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Every account, oldest first; tokens are never shown again."""
        found, pagination_parameters.item_count = store.accounts.fetch_accounts(
            page=pagination_parameters.page, page_size=pagination_parameters.page_size
        )
        return found

    @require_roles(ADMIN)
    @blp.doc(**IDEMPOTENT)
    @blp.arguments(AccountIn)
    @blp.response(201, AccountCreated)
    @blp.alt_response(409, response="DEFAULT_ERROR")
    def post(self, data):
        """Open an account bound to its role's scope; its token is in this answer only. A
        name taken already is a 409; a scope that does not fit the role, or an ``expires_at``
        not in the future, a 422 naming the field."""
        key = idempotency_key()

        def remember(account) -> None:  # the answer to a retry: without the token
            if key is not None:
                add_answer(key, 201, as_json(account_out.dump(account) | {"token": None}))

        def answer():
            try:
                account, token = accounts.open_account(
                    data.pop("name"), data.pop("role"), **data, actor=current_account(),
                    answer=remember,
                )  # fmt: skip
            except accounts.AccountRefused as refusal:
                code = 409 if isinstance(refusal, accounts.AccountExists) else 422
                fail(code, refusal.message, {"json": {refusal.field: [refusal.message]}})
            return respond(
                StoredAnswer(201, as_json(account_out.dump(account) | {"token": token}), False)
            )

        return once_per_key(key, answer)


@blp.route("/<id:account_id>")
class AccountById(MethodView):
    @require_roles(ADMIN)
    @blp.response(200, AccountOut)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, account_id):
        """One account."""
        return _account_or_404(account_id)


@blp.route("/<id:account_id>/revoke")
class AccountRevocation(MethodView):
    @require_roles(ADMIN)
    @blp.response(200, AccountOut)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def post(self, account_id):
        """Revoke the account's token at once. Revoking twice changes nothing: a retry gets
        the same answer."""
        account = _account_or_404(account_id)
        accounts.revoke(account, actor=current_account())
        return account


def _account_or_404(account_id: int):
    account = store.accounts.fetch_account(account_id)
    if account is None:
        fail(404, "No account has this id.")
    return account
