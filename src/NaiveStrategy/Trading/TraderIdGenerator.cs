using System.Globalization;

namespace NaiveStrategy;

/// <summary>
/// Makes trader ids that are unique within the process and across restarts, and short enough to
/// read in a log line: <c>{run}-{sequence}</c>, where run is the start time in milliseconds in base 36
/// (e.g. <c>m3k9x2ab-7</c>). The book's millisecond ids collide; a sequence cannot.
/// A client order id is the trader id plus <c>-b</c> or <c>-s</c>, within Binance's 36 characters.
/// </summary>
public sealed class TraderIdGenerator
{
    private readonly string _run;
    private long _sequence;

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

    /// <summary>The next id. Thread-safe.</summary>
    public string Next() => _run + "-" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);

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
