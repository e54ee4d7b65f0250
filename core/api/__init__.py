"""The REST API's foundation, with no domain knowledge: every app's viewsets derive from
``base.ApiViewSet`` (authentication, pagination, throttling, filter backends from the settings) and
public reads from ``base.PublicReadViewSet`` (conditional GET); every error has one body
(``errors.exception_handler``)."""
