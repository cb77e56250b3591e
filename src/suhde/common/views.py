from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """For the reverse proxy and the operator: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
