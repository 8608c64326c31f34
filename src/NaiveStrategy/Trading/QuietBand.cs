namespace NaiveStrategy;

/// <summary>
/// Where a symbol's next market trades change nothing in its Leader: a trade priced within
/// [<see cref="Low"/>, <see cref="High"/>] (both included) and earlier than <see cref="Until"/> (when set) is
/// handled without any change, event or command. A backtest may skip such trades; the exchange's own matching
/// is a separate condition (its open orders).
/// </summary>
/// <param name="Low">The lowest quiet price (included).</param>
/// <param name="High">The highest quiet price (included).</param>
/// <param name="Until">The market time from which a trade may change something again (a balance check due), or null.</param>
public readonly record struct QuietBand(decimal Low, decimal High, DateTimeOffset? Until);
