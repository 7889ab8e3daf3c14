"""The error services raise when a domain rule is broken."""


class DomainError(ValueError):
    """A rule was broken; ``message`` is meant for the person (already translated), ``field``
    names the form field it belongs to, if any, so that the view can show it there."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def show_on_form(form, error: DomainError) -> None:
    """Put a service's refusal next to the field it concerns, or at the top of the form."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    else:
        form.form_errors.append(error.message)
