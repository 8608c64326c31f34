namespace NaiveStrategy;

/// <summary>How a trader's life ended.</summary>
public enum TraderOutcome
{
    /// <summary>The sell filled: a full buy → sell cycle (the book's normal exit). The leader replaces the trader.</summary>
    Completed,

    /// <summary>The buy was canceled or expired before anything executed: nothing is held. The leader replaces the trader.</summary>
    Canceled,

    /// <summary>The buy was not placed (rejected by the exchange, or below its filters): the leader does not replace it, so a bad setting cannot loop.</summary>
    Rejected,

    /// <summary>Base asset is held but no sell order is working (sell rejected, canceled, expired, or too small to sell): needs attention; not replaced.</summary>
    Stranded,

    /// <summary>A guard's <see cref="GuardAction.Exit"/> canceled its order: what it holds goes to the symbol's MARKET SELL; not replaced.</summary>
    Exited,
}
