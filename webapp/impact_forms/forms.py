"""The impact form's fields. The lists travel as one-point-a-line text (the form
without scripts); htmx's Add and Remove buttons post the same fields."""
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import ValidationError

from domain import impact_forms
from domain.text import CELL_LIMIT

from ..forms import TEXT_FILTERS, CleanForm, max_chars


def fits_a_cell(form, field):
    """The list goes to one Impact log cell as bullet lines: it must fit there."""
    text = impact_forms.bullet_lines(impact_forms.items_from_text(field.data))
    if len(text) > CELL_LIMIT:
        raise ValidationError(f"These points come to {len(text):,} characters; the Impact log cell holds "
                              f"{CELL_LIMIT:,}. Shorten them, or put the detail in a linked document.")


class ImpactFormFields(CleanForm):
    summary = TextAreaField("What happened", filters=TEXT_FILTERS, validators=[max_chars()], render_kw={"rows": 3},
                            description="A sentence or two: what the network or visit looked at.")
    strengths = TextAreaField("Strengths, one per line", filters=TEXT_FILTERS, validators=[fits_a_cell],
                              render_kw={"rows": 4})
    areas = TextAreaField("Areas to develop, one per line", filters=TEXT_FILTERS, validators=[fits_a_cell],
                          render_kw={"rows": 2})
    new_strength = StringField("New strength", filters=TEXT_FILTERS, validators=[max_chars()])
    new_area = StringField("New area to develop", filters=TEXT_FILTERS, validators=[max_chars()])
    impact_note = TextAreaField("Add to the chosen rows' Impact to date (optional)", filters=TEXT_FILTERS,
                                validators=[max_chars()], render_kw={"rows": 2},
                                description="Written to each chosen row's Impact to date when the form is final.")
    version = HiddenField()

    def lists(self, op=""):
        """(strengths, areas) as the person left them: the text's lines, the point typed
        in a New box added (whichever button was pressed: nothing typed is lost), and the
        point whose Remove was pressed taken out."""
        strengths = impact_forms.items_from_text(self.strengths.data)
        areas = impact_forms.items_from_text(self.areas.data)
        strengths += impact_forms.clean_items([self.new_strength.data])
        areas += impact_forms.clean_items([self.new_area.data])
        kind, _, index = op.partition(":")
        if kind in ("remove-strength", "remove-area") and index.isdigit():
            items = strengths if kind == "remove-strength" else areas
            if int(index) < len(items):
                del items[int(index)]
        return strengths, areas
