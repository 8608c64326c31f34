using System.Globalization;

namespace NaiveStrategy.Cli;

/// <summary>Strategy settings from the command line; each may be a value, a list <c>a,b,c</c> or a range <c>start:stop:step</c> (stop included).</summary>
internal static class SettingsGrid
{

    /// <summary>The longest <c>--max-buy-wait</c> duration: a year of market time.</summary>
    public static readonly TimeSpan MaxBuyWaitLimit = TimeSpan.FromDays(365);

    /// <summary>Most traders per symbol: far more than the strategy needs, few enough that a run stays small.</summary>
    public const int MaxChunks = 1000;

    /// <summary>Largest budget per symbol, in the quote asset (see <see cref="CommandLine.Bounds"/> for why).</summary>
    public static readonly CommandLine.Bounds BudgetRange = new(0m, false, 1_000_000_000_000m);

    /// <summary>Most settings in one sweep: each runs its own engine at the same time.</summary>
    public const int MaxCombinations = 1000;

    private const int MaxValues = 1000;

    public static IReadOnlyList<SymbolSettings> Parse(CommandLine cl, string symbol)
    {
        var d = new SymbolSettings { Symbol = symbol, Status = SymbolStatus.On };
        var budgets = Values(cl, "budget", d.Budget, v => BudgetRange.Check("budget", v));
        var chunks = Values(cl, "chunks", d.Chunks, v => CommandLine.ParseWhole("chunks", v.ToString(CultureInfo.InvariantCulture), 1, MaxChunks));
        var buyDowns = Values(cl, "buy-down", d.BuyDownInterval, v => Check("buy-down", d with { BuyDownInterval = v }));
        var profits = Values(cl, "profit", d.ProfitInterval, v => Check("profit", d with { ProfitInterval = v }));
        var rebuys = Values(cl, "rebuy", d.RebuyInterval, v => Check("rebuy", d with { RebuyInterval = v }));
        var fees = Values(cl, "fee", d.FeeRate, v => Check("fee", d with { FeeRate = v }));
        var stales = (cl.String("max-buy-wait") ?? "off").Split(',').Select(ParseStaleBuyRule).ToList();
        var combinations = (long)budgets.Count * chunks.Count * buyDowns.Count * profits.Count * rebuys.Count * fees.Count * stales.Count;
        if (combinations > MaxCombinations)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"the settings make {combinations} combinations; at most {MaxCombinations} run in one sweep."));
        }

        var grid = (
            from budget in budgets
            from chunk in chunks
            from buyDown in buyDowns
            from profit in profits
            from rebuy in rebuys
            from fee in fees
            from stale in stales
            select d with { Budget = budget, Chunks = (int)chunk, BuyDownInterval = buyDown, ProfitInterval = profit, RebuyInterval = rebuy, FeeRate = fee, MaxBuyWait = stale.Wait, MaxBuyDistance = stale.Distance }).ToList();
        var all = GuardOptions.Expand(cl, grid);
        if (all.Count > MaxCombinations)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"the settings make {all.Count} combinations; at most {MaxCombinations} run in one sweep."));
        }
        foreach (var settings in all)
        {
            var errors = settings.FindErrors();
            if (errors.Count > 0)
            {
                throw new UsageException(string.Join(" ", errors));
            }
        }

        return all;
    }

    /// <summary>
    /// One <c>--max-buy-wait</c> value: <c>off</c> (the book's rule: a BUY waits for as long as it takes), a
    /// duration of market time (<c>90s</c>, <c>30m</c>, <c>2h</c>, <c>1d</c>), or a price distance (<c>1.5%</c>:
    /// the market has risen that much above the price seen when the BUY was placed).
    /// </summary>
    public static (TimeSpan? Wait, decimal? Distance) ParseStaleBuyRule(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var part = text.Trim();
        if (part.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        if (part.EndsWith('%'))
        {
            return decimal.TryParse(part[..^1], NumberStyles.Number, CultureInfo.InvariantCulture, out var percent) && percent > 0 && percent < 100
                ? (null, percent / 100)
                : throw new UsageException($"--max-buy-wait '{part}': a price distance is a percentage above 0 % and below 100 %, e.g. 1.5%.");
        }

        var unit = part.Length > 1 ? part[^1] : ' ';
        var scale = unit switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            _ => TimeSpan.Zero,
        };
        if (scale == TimeSpan.Zero || !decimal.TryParse(part[..^1], NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
        {
            throw new UsageException($"--max-buy-wait '{part}' must be a duration (90s, 30m, 2h, 1d), a price distance (1.5%) or off.");
        }

        if (amount <= 0 || amount * scale.Ticks > MaxBuyWaitLimit.Ticks)
        {
            throw new UsageException($"--max-buy-wait '{part}': a duration must be above 0 and at most 365d.");
        }

        return (TimeSpan.FromTicks((long)(amount * scale.Ticks)), null);
    }

    /// <summary>The stale-BUY rule of <paramref name="settings"/> as <c>--max-buy-wait</c> takes it: off, 30m, 1.5%.</summary>
    public static string DescribeStaleBuyRule(SymbolSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.MaxBuyDistance is { } distance)
        {
            return (distance * 100).ToString("0.####", CultureInfo.InvariantCulture) + "%";
        }

        if (settings.MaxBuyWait is not { } wait)
        {
            return "off";
        }

        return wait.TotalDays >= 1 && wait.Ticks % TimeSpan.TicksPerDay == 0 ? $"{wait.TotalDays.ToString(CultureInfo.InvariantCulture)}d"
            : wait.Ticks % TimeSpan.TicksPerHour == 0 ? $"{wait.TotalHours.ToString(CultureInfo.InvariantCulture)}h"
            : wait.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{wait.TotalMinutes.ToString(CultureInfo.InvariantCulture)}m"
            : $"{((decimal)wait.Ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture)}s";
    }

    // The settings' own validation, reported under the option's name.
    private static void Check(string option, SymbolSettings settings)
    {
        var errors = settings.FindErrors();
        if (errors.Count > 0)
        {
            var prefix = settings.Symbol + ": ";
            throw new UsageException($"--{option}: {(errors[0].StartsWith(prefix, StringComparison.Ordinal) ? errors[0][prefix.Length..] : errors[0])}");
        }
    }

    private static List<decimal> Values(CommandLine cl, string name, decimal fallback, Action<decimal> check) =>
        cl.String(name) is { } text ? Values(name, text, check) : [fallback];

    /// <summary><paramref name="text"/> as a value, a list <c>a,b,c</c> or a range <c>start:stop:step</c>, each value checked.</summary>
    public static List<decimal> Values(string name, string text, Action<decimal> check)
    {
        var range = text.Split(':');
        List<decimal> values;
        if (range.Length == 3)
        {
            var (start, stop, step) = (Number(range[0]), Number(range[1]), Number(range[2]));
            if (step <= 0 || stop < start)
            {
                throw new UsageException($"--{name} range '{text}' needs start <= stop and a step > 0.");
            }

            check(start);
            check(stop);
            values = [];

            // Stop before adding a step that would pass stop: v + step never exceeds stop, so never overflows.
            for (var v = start; ; v += step)
            {
                values.Add(v);
                if (values.Count > MaxValues)
                {
                    throw new UsageException($"--{name} range '{text}' has more than {MaxValues} values.");
                }

                if (stop - v < step)
                {
                    break;
                }
            }
        }
        else if (range.Length == 1)
        {
            values = text.Split(',').Select(Number).ToList();
        }
        else
        {
            throw new UsageException($"--{name} '{text}' must be a value, a list a,b,c or a range start:stop:step.");
        }

        foreach (var value in values)
        {
            check(value);
        }

        return values;

        decimal Number(string part) =>
            decimal.TryParse(part, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new UsageException($"--{name} '{part}' is not a number (use '.' as the decimal separator).");
    }
}
