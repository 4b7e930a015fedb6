"""The form for the cells of an action row people edit in the browser."""
from wtforms import HiddenField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError
from wtforms.widgets import HiddenInput

from domain.dates import due_examples, due_hint, parse_due
from domain.edits import EDITABLE, same
from domain.status import STATUSES

from ..forms import TEXT_FILTERS, CleanForm, max_chars, skip_if_untouched


def due_as_schools_write_it(form, field):
    if parse_due(field.data) is None:
        raise ValidationError(due_examples())


class RowEditForm(CleanForm):
    status = SelectField("Status", choices=[SelectChoice("", "No status")] + [SelectChoice(s) for s in STATUSES],
                         validate_choice=True)
    impact_to_date = TextAreaField("Impact to date", filters=TEXT_FILTERS,
                                   validators=[skip_if_untouched, max_chars()], render_kw={"rows": 4})
    lead = StringField("Lead", filters=TEXT_FILTERS, validators=[skip_if_untouched, max_chars()])
    due = StringField("Due", filters=TEXT_FILTERS,
                      validators=[skip_if_untouched, max_chars(), due_as_schools_write_it],
                      description="")  # this school year's examples: __init__
    # What the editor saw, so that nobody's change is overwritten unseen.
    version = IntegerField(widget=HiddenInput())
    seen_status = HiddenField()
    seen_impact_to_date = HiddenField()
    seen_lead = HiddenField()
    seen_due = HiddenField()

    EDITABLE = tuple(EDITABLE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.due.description = due_hint()  # the examples of the year it is shown in, not of one written here

    def untouched(self, name):
        """Is the cell as the editor saw it? (Compared as sent, before cleaning.)"""
        field = getattr(self, name)
        sent = field.raw_data[0] if field.raw_data else field.data
        return same(name, sent, getattr(self, f"seen_{name}").data)

    def changes(self):
        """{cell: new value}; a cell left as seen goes back exactly as it was."""
        seen = self.seen()
        return {name: seen[name] if self.untouched(name) else (getattr(self, name).data or "").strip()
                for name in self.EDITABLE}

    def seen(self):
        return {name: getattr(self, f"seen_{name}").data or "" for name in self.EDITABLE}

    def set_seen(self, values, version):
        for name in self.EDITABLE:
            getattr(self, f"seen_{name}").data = values[name]
        self.version.data = version
