"""The one exception type isoparam raises for bad input."""


class IsoparamError(ValueError):
    """A request isoparam cannot answer as asked: the message echoes the bad value.

    The command line turns it into one ``error:`` line and exit status 2.
    """


class NotFound(IsoparamError):
    """A search found no answer in its stated range; the message states the range.

    ``explanation`` holds the lines of reasoning behind the search (shown by ``--explain``).
    The command line prints it as an ``error:`` line and exits with status 1.
    """

    def __init__(self, message: str, explanation: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.explanation = explanation
