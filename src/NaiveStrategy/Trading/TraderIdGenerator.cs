namespace NaiveStrategy;

/// <summary>
/// The run part of trader ids, unique across restarts: trader ids are <c>{run}-{symbol}-{number}</c>, where run
/// is the engine's start time in milliseconds in base 36 and number comes from the symbol's Leader state
/// (<see cref="SymbolSnapshot.NextTraderNumber"/>), e.g. <c>m3k9x2ab-XRPUSDT-7</c>: unique in a process that trades many
/// symbols (each numbers its own traders) and across restarts. The book's millisecond ids collide; a number cannot.
/// A client order id is the trader id plus <c>-b</c> or <c>-s</c>, within Binance's 36 characters.
/// </summary>
public sealed class TraderIdGenerator
{
    private readonly string _run;

    /// <summary>Creates a generator whose run prefix comes from <paramref name="timeProvider"/>'s current time.</summary>
    public TraderIdGenerator(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _run = ToBase36(Math.Max(0, timeProvider.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    /// <summary>Creates a generator with an explicit run prefix (tests, replays).</summary>
    public TraderIdGenerator(string run)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(run);
        if (run.Length > 16 || !run.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"The run prefix must be 1-16 ASCII letters or digits, got '{run}'.", nameof(run));
        }

        _run = run;
    }

    /// <summary>This run's prefix: the first part of every trader id started in it.</summary>
    public string Run => _run;

    /// <summary>
    /// The prefix of the ids of <paramref name="symbol"/>'s traders in this run: <c>{run}-{symbol}</c>, at most
    /// <see cref="MaxPrefixLength"/> characters. A longer one keeps the symbol's start and ends in a hash of the
    /// whole symbol, so a client order id (prefix, <c>-</c>, number up to 6 digits, <c>-b</c> and a retry number up to 3 digits) stays within 36.
    /// </summary>
    internal string PrefixFor(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        var prefix = _run + "-" + symbol;
        if (prefix.Length <= MaxPrefixLength)
        {
            return prefix;
        }

        // FNV-1a over the symbol: deterministic across processes (string.GetHashCode is not).
        var hash = 2166136261u;
        foreach (var c in symbol)
        {
            hash = (hash ^ c) * 16777619u;
        }

        var tag = ToBase36(hash % 1_679_616); // 4 base-36 digits at most
        return prefix[..(MaxPrefixLength - tag.Length)] + tag;
    }

    /// <summary>The longest prefix <see cref="PrefixFor"/> returns.</summary>
    internal const int MaxPrefixLength = 24;

    private static string ToBase36(long value)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        Span<char> buffer = stackalloc char[16];
        var i = buffer.Length;
        do
        {
            buffer[--i] = digits[(int)(value % 36)];
            value /= 36;
        }
        while (value > 0);
        return new string(buffer[i..]);
    }
}
