"""The one exception type isoparam raises for bad input."""


class IsoparamError(ValueError):
    """A request isoparam cannot answer as asked: the message echoes the bad value.

    The command line turns it into one ``error:`` line and exit status 2.
    """
