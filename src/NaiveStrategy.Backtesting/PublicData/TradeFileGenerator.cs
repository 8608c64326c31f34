using System.Globalization;

namespace NaiveStrategy.Backtesting.PublicData;

/// <summary>Options of <see cref="TradeFileGenerator"/>. Defaults look like a quiet XRPUSDT day.</summary>
public sealed class TradeFileGeneratorOptions
{
    /// <summary>Seed: the same seed and options give the same file, byte for byte.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Number of trades.</summary>
    public long Count { get; set; } = 100_000;

    /// <summary>First trade id.</summary>
    public long FirstTradeId { get; set; } = 1;

    /// <summary>First price.</summary>
    public decimal StartPrice { get; set; } = 0.6200m;

    /// <summary>Price grid (PRICE_FILTER tickSize).</summary>
    public decimal TickSize { get; set; } = 0.0001m;

    /// <summary>Quantity grid (LOT_SIZE stepSize).</summary>
    public decimal StepSize { get; set; } = 1m;

    /// <summary>Median trade size; sizes follow a heavy-tailed (Pareto) distribution above it.</summary>
    public decimal MedianQuantity { get; set; } = 20m;

    /// <summary>Time of the first trade.</summary>
    public DateTimeOffset Start { get; set; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Mean time between trades.</summary>
    public TimeSpan MeanInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Long-run standard deviation of the log return per trade.</summary>
    public double Volatility { get; set; } = 0.0002;

    /// <summary>GARCH(1,1) weight of the last squared return (volatility clustering).</summary>
    public double Alpha { get; set; } = 0.08;

    /// <summary>GARCH(1,1) weight of the last variance.</summary>
    public double Beta { get; set; } = 0.9;

    /// <summary>
    /// Drift of the log price per trade for consecutive equal segments of the file, e.g. <c>[-0.00002, 0.000024]</c>
    /// falls then rises. Empty: no drift.
    /// </summary>
    public IList<double> Drifts { get; } = new List<double>();

    /// <summary>Times in microseconds (Binance's files from 2025-01-01) instead of milliseconds; null: by <see cref="Start"/>.</summary>
    public bool? Microseconds { get; set; }

    /// <summary>Throws when the options cannot produce a file.</summary>
    /// <exception cref="ArgumentException">The message names the option.</exception>
    public void Validate()
    {
        if (Count < 0 || StartPrice <= 0 || TickSize <= 0 || StepSize <= 0 || MedianQuantity <= 0 || MeanInterval < TimeSpan.Zero || Volatility < 0 || Alpha < 0 || Beta < 0 || Alpha + Beta >= 1)
        {
            throw new ArgumentException($"Invalid generator options: count {Count}, start price {StartPrice}, tick {TickSize}, step {StepSize}, median quantity {MedianQuantity}, interval {MeanInterval}, volatility {Volatility}, alpha {Alpha}, beta {Beta} (need positive sizes, alpha + beta < 1).");
        }
    }
}

/// <summary>
/// Writes a seeded, realistic synthetic trades file in Binance's public-data format (no header,
/// <c>id,price,qty,quoteQty,time,isBuyerMaker,isBestMatch</c>): a random walk of the log price with
/// GARCH(1,1) volatility clustering and optional drift segments, prices on the tick grid, heavy-tailed
/// sizes on the step grid, exponential gaps between trades. For benchmarks, demos and tests.
/// </summary>
public static class TradeFileGenerator
{
    /// <summary>Writes the file.</summary>
    public static void Write(TextWriter writer, TradeFileGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new Random(options.Seed);
        var inv = CultureInfo.InvariantCulture;
        var micro = options.Microseconds ?? options.Start >= new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var ticksPerUnit = micro ? 10L : TimeSpan.TicksPerMillisecond;
        var time = options.Start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var logPrice = Math.Log((double)options.StartPrice);
        var longRun = options.Volatility * options.Volatility;
        var omega = longRun * (1 - options.Alpha - options.Beta);
        var variance = longRun;
        var lastReturn = 0.0;
        var segment = options.Drifts.Count == 0 ? long.MaxValue : Math.Max(1, options.Count / options.Drifts.Count);
        for (long i = 0; i < options.Count; i++)
        {
            variance = omega + (options.Alpha * lastReturn * lastReturn) + (options.Beta * variance);
            var drift = options.Drifts.Count == 0 ? 0 : options.Drifts[(int)Math.Min(i / segment, options.Drifts.Count - 1)];
            lastReturn = drift + (Math.Sqrt(variance) * Normal(random));
            logPrice += lastReturn;
            var level = Math.Exp(logPrice);
            if (!(level < (double)TradeCsvStream.MaxAmount))
            {
                // A strong drift or volatility over many trades: stop with a message rather than overflow a decimal.
                throw new ArgumentException(string.Create(inv, $"The generated price passed {TradeCsvStream.MaxAmount:N0} at trade {i + 1}: lower the drift, the volatility or the count."));
            }

            var price = Math.Max(options.TickSize, FloorTo(options.TickSize, (decimal)level));
            var size = (decimal)((double)options.MedianQuantity / Math.Pow(2, 1 / 1.5) * Math.Pow(1 - random.NextDouble(), -1 / 1.5));
            var quantity = Math.Max(options.StepSize, FloorTo(options.StepSize, Math.Min(size, 1_000_000_000m)));
            var gap = -Math.Log(1 - random.NextDouble()) * options.MeanInterval.Ticks;
            time += (long)gap;
            var buyerMaker = lastReturn < 0 || (lastReturn == 0 && random.Next(2) == 0);
            var written = string.Create(inv, $"{options.FirstTradeId + i},{price:F8},{quantity:F8},{price * quantity:F8},{time / ticksPerUnit},{(buyerMaker ? "True" : "False")},True");
            writer.Write(written);
            writer.Write('\n');
        }

    }

    private static double Normal(Random random)
    {
        // Box–Muller: two uniforms, one normal (the second is dropped to keep the stream simple).
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    // The largest multiple of step that is <= value (the core's arithmetic is internal to it).
    private static decimal FloorTo(decimal step, decimal value)
    {
        var floored = decimal.Floor(value / step) * step;
        return floored > value ? floored - step : floored;
    }
}
