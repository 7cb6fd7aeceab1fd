"""The forms and widgets drawn in one pass in Python (footcare/forms.py) draw the same HTML
as Django's templates do, in every state a page can show them: unbound, re-shown with what
was typed, with errors beside fields and above them."""

import re

import pytest
from django import forms

from footcare.forms import (
    LongSelect,
    OnePassCheckboxes,
    OnePassForm,
    OnePassNumberInput,
    OnePassRadios,
    OnePassTextInput,
    errors_html,
)

CHOICES = [("a", "Apple"), ("b&c", 'Tom & "Jerry" <b>'), ("", "Rather not say"), ("7", "Seven")]


class Stock(forms.Form):
    name = forms.CharField(max_length=5, help_text="Your <em>name</em>.")
    year = forms.IntegerField(required=False, min_value=1900, label="Year & day")
    kind = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, help_text="Pick one.")
    many = forms.MultipleChoiceField(
        choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    bare = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple)
    agree = forms.BooleanField(required=False, help_text="Tick it.")
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        if self.data.get("name") == "boom":
            raise forms.ValidationError("The whole <form> is wrong.")
        return super().clean()


class OnePass(OnePassForm, Stock):
    name = forms.CharField(max_length=5, help_text="Your <em>name</em>.", widget=OnePassTextInput)
    year = forms.IntegerField(
        required=False, min_value=1900, label="Year & day", widget=OnePassNumberInput
    )
    kind = forms.ChoiceField(choices=CHOICES, widget=OnePassRadios, help_text="Pick one.")
    many = forms.MultipleChoiceField(choices=CHOICES, widget=OnePassCheckboxes, required=False)
    bare = forms.MultipleChoiceField(choices=CHOICES, widget=OnePassCheckboxes)


STATES = {
    "unbound": {},
    "initial": {"initial": {"name": "Ann", "kind": "b&c", "many": ["a", ""], "agree": True}},
    "valid": {"data": {"name": "Bo", "kind": "a", "bare": ["7"], "token": "t"}},
    "invalid": {"data": {"name": "<much too long>", "year": "1800<", "kind": "z", "bare": ["q"]}},
    "empty post": {"data": {}},
    "form error": {"data": {"name": "boom", "kind": "", "bare": ["a"]}},
    "prefixed": {"data": {"p-name": "x" * 9}, "prefix": "p"},
    "no ids": {"data": {"name": "x" * 9, "many": ["b&c"]}, "auto_id": False},
}


@pytest.mark.parametrize("state", STATES)
def test_a_one_pass_form_draws_what_djangos_templates_draw(state: str):
    stock, one_pass = Stock(**STATES[state]), OnePass(**STATES[state])
    stock.is_bound and stock.is_valid()
    one_pass.is_bound and one_pass.is_valid()
    assert str(one_pass) == str(stock)
    # Asked for a template, it is Django's.
    assert one_pass.render(one_pass.template_name) == str(stock)


@pytest.mark.parametrize("state", STATES)
def test_each_field_and_its_errors_draw_as_djangos(state: str):
    stock, one_pass = Stock(**STATES[state]), OnePass(**STATES[state])
    for field in stock:
        assert str(one_pass[field.name]) == str(field)
        assert errors_html(one_pass[field.name].errors) == str(field.errors)
        assert str(one_pass[field.name].errors) == str(field.errors)
    assert errors_html(one_pass.non_field_errors()) == str(stock.non_field_errors())
    assert str(one_pass.non_field_errors()) == str(stock.non_field_errors())
    assert one_pass.errors.as_json() == stock.errors.as_json()


class Zones(forms.Form):
    zone = forms.ChoiceField(choices=CHOICES, widget=LongSelect)


class StockZones(forms.Form):
    zone = forms.ChoiceField(choices=CHOICES)


@pytest.mark.parametrize("data", [None, {"zone": "b&c"}, {"zone": ""}, {"zone": "nope"}])
def test_a_long_select_draws_djangos_select_without_the_line_breaks(data):
    stock = re.sub(r"\n\s*", "", str(StockZones(data=data)["zone"]))
    assert str(Zones(data=data)["zone"]) == stock


@pytest.mark.parametrize(
    ("value", "selected"), [("b&c", 'value="b&amp;c" selected'), ("", 'value="" selected')]
)
def test_a_long_select_marks_the_chosen_option_only(value: str, selected: str):
    html = str(Zones(data={"zone": value})["zone"])
    assert html.count(" selected") == 1
    assert selected in html
    assert '<option value="b&amp;c">' in str(Zones(data={"zone": "a"})["zone"])


def test_a_long_select_with_a_value_it_does_not_offer_marks_none():
    assert " selected" not in str(Zones(data={"zone": "nope"})["zone"])


def offered() -> list[tuple[str, str]]:
    return [("", "Choose one"), *CHOICES]


@pytest.mark.parametrize("choices", [offered, CHOICES, []])
@pytest.mark.parametrize("data", [None, {"zone": "a"}])
def test_a_long_select_of_a_functions_choices_is_required_as_djangos_is(choices, data):
    class Stocked(forms.Form):
        zone = forms.ChoiceField(choices=choices)

    class Long(forms.Form):
        zone = forms.ChoiceField(choices=choices, widget=LongSelect)

    stock = re.sub(r"\n\s*", "", str(Stocked(data=data)["zone"]))
    assert str(Long(data=data)["zone"]) == stock


def test_a_one_pass_form_with_another_template_draws_with_it():
    class Tabled(OnePass):
        template_name = "django/forms/table.html"

    class StockTabled(Stock):
        template_name = "django/forms/table.html"

    data = STATES["invalid"]["data"]
    assert str(Tabled(data=data)) == str(StockTabled(data=data))
    assert "<tr>" in str(Tabled(data=data))
