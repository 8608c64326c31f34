namespace NaiveStrategy;

/// <summary>A symbol's trading status (the book's settings.status).</summary>
public enum SymbolStatus
{
    /// <summary>Not trading.</summary>
    Off,

    /// <summary>Trading: finished traders are replaced.</summary>
    On,

    /// <summary>Winding down: no new traders; running ones finish their cycle, then the symbol stops.</summary>
    Shutdown,
}
