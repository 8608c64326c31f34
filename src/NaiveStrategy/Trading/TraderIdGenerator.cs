namespace NaiveStrategy;

/// <summary>
/// The run part of trader ids, unique across restarts: trader ids are <c>{run}-{number}</c>, where run
/// is the engine's start time in milliseconds in base 36 and number comes from the Leader's state
/// (<see cref="LeaderState.NextTraderNumber"/>), e.g. <c>m3k9x2ab-7</c>. The book's millisecond ids
/// collide; a number cannot, and short ids read well in a log line.
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
