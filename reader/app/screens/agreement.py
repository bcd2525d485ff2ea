"""An agreement's record: its fields, the sentences they came from, the articles that report it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.app.backend import AgreementView
from reader.app.widgets.footer import ReaderFooter
from reader.support.textsafe import one_line

_ARTICLE = "article:"


class AgreementScreen(ModalScreen[str | None]):
    """The record of one agreement; Enter on an article opens it, Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "filter", "Filter to its articles", id="agreement.filter"),
        Binding("escape,q", "close", "Close", id="agreement.close"),
    ]

    #: What :meth:`dismiss` returns to keep only the articles that report it.
    FILTER = "\0filter"

    def __init__(self, view: AgreementView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        yield ReaderFooter()
        with Vertical(id="agreement-body") as body:
            body.border_title = one_line(self.view.name)
            body.border_subtitle = "Enter opens an article · f filters to them · Escape closes"
            with VerticalScroll(id="agreement-record"):
                yield Static(self._record_text(), id="agreement-fields")
            yield OptionList(*self._article_options(), id="agreement-articles")

    def _record_text(self) -> Text:
        text = Text()
        for label, value in self.view.fields:
            text.append(f"{label:12}", style="bold")
            text.append(one_line(value) + "\n")
        for article in self.view.articles:
            text.append("\n")
            text.append(one_line(article.title), style="bold")
            text.append(f"  {article.date or ''}  ({one_line(article.name)})\n", style="dim")
            for sentence in article.evidence:
                text.append("  > " + one_line(sentence) + "\n", style="italic")
        return text

    def _article_options(self) -> list[Option]:
        count = len(self.view.articles)
        options = [
            Option(
                Text(f"Reported by {count} article{'s' if count != 1 else ''}", style="bold"),
                disabled=True,
            )
        ]
        for article in self.view.articles:
            prompt = Text.assemble(one_line(article.title), " ", (article.date or "", "dim"))
            options.append(Option(prompt, id=_ARTICLE + article.id))
        return options

    def on_mount(self) -> None:
        articles = self.query_one(OptionList)
        articles.highlighted = 1 if articles.option_count > 1 else None
        self.set_focus(articles)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith(_ARTICLE):
            self.dismiss(option_id.removeprefix(_ARTICLE))

    def action_filter(self) -> None:
        self.dismiss(self.FILTER)

    def action_close(self) -> None:
        self.dismiss(None)
