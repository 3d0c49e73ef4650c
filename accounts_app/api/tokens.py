"""API tokens (django-rest-knox): `Authorization: Token <key>` signs a request in;
`POST auth/token/` trades a user name and password for a new named, expiring token (its
key shown once); `POST auth/logout/` revokes the token it is sent with, `auth/logout-all/`
all the caller's; `tokens/` lists the caller's own and revokes one."""

from django.contrib.auth import authenticate
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from ..authentication import ApiTokenAuthentication
from ..selectors.tokens import api_token_get_for_user, api_token_list
from ..services.tokens import (
    api_token_create,
    api_token_revoke,
    api_tokens_revoke_all,
)
from ..signin import second_factor


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )


class TokenSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    key_start = serializers.CharField(
        read_only=True, help_text="The key's first characters, to tell tokens apart."
    )
    created = serializers.DateTimeField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True)
    last_used = serializers.DateTimeField(read_only=True, allow_null=True)


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text="The key: shown this once, only its digest is stored."
    )


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="A code from the user's authenticator app (or a recovery code): needed "
        "when they have a second factor.",
    )
    name = serializers.CharField(max_length=100, required=False, default="API script")
    days = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="How many days the token lasts (default STRATA_TOKEN_TTL_DAYS, 90; at most "
        "STRATA_TOKEN_MAX_TTL_DAYS, 365).",
    )


class TokenCreateView(APIView):
    """A new token for the user whose name and password are given: its key once, and its
    expiry. Failed attempts count towards the sign-in lockout (django-axes) like the
    login form's."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses=NewTokenSerializer, auth=[])
    def post(self, request):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # The DRF request, not the Django one: django-axes marks a lockout on it, which
        # config.api.exception_handler turns into a 429.
        user = authenticate(
            request=request,
            username=body.validated_data["username"],
            password=body.validated_data["password"],
        )
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": ["Unable to log in with provided credentials."]}
            )
        owed = second_factor.owed_by(user)
        if owed == second_factor.ENROL:
            raise serializers.ValidationError(
                {"otp": ["Your organisation requires a second factor: set it up in Strata first."]}
            )
        if owed == second_factor.VERIFY and not second_factor.check_code(
            user, body.validated_data.get("otp", "")
        ):
            raise serializers.ValidationError(
                {
                    "otp": [
                        "A current code from your authenticator app (or a recovery code) is needed."
                    ]
                }
            )
        token, key = api_token_create(
            user=user, name=body.validated_data["name"], days=body.validated_data.get("days")
        )
        data = NewTokenSerializer(token).data | {"token": key}
        return Response(data, status=status.HTTP_200_OK, headers={"Cache-Control": "no-store"})


class TokenLogoutView(APIView):
    """Revokes the token this request is signed in with."""

    authentication_classes = [ApiTokenAuthentication]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        api_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenLogoutAllView(APIView):
    """Revokes every token of the caller."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        api_tokens_revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own tokens (never another's: 404) and revoking one."""

    serializer_class = TokenSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return api_token_list(user=self.request.user)

    def get_object(self):
        return api_token_get_for_user(user=self.request.user, token_id=self.kwargs["pk"])

    def perform_destroy(self, instance):
        api_token_revoke(token=instance)
