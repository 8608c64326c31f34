using System.Globalization;
using NaiveStrategy.Backtesting;

namespace NaiveStrategy.Cli;

/// <summary>
/// The risk guards on the command line (<c>--stop-loss --take-profit --max-drawdown --max-daily-loss --guard-action</c>,
/// each a value, a list <c>a,b,c</c> with <c>off</c> allowed, or a range <c>start:stop:step</c>), so <c>sweep</c> takes
/// them as grid dimensions, and how reports show them.
/// </summary>
internal static class GuardOptions
{
    public static readonly string[] Names = ["stop-loss", "take-profit", "max-drawdown", "max-daily-loss", "guard-action"];

    private const int MaxValues = 100;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Every combination of <paramref name="grid"/> with the guard values given (the grid itself when none is).</summary>
    public static List<SymbolSettings> Expand(CommandLine cl, List<SymbolSettings> grid)
    {
        ArgumentNullException.ThrowIfNull(cl);
        var stops = Values(cl, "stop-loss");
        var takes = Values(cl, "take-profit");
        var drawdowns = Values(cl, "max-drawdown");
        var losses = Values(cl, "max-daily-loss");
        var actions = (cl.String("guard-action") ?? "stop").Split(',').Select(ParseAction).ToList();
        return (
            from s in grid
            from stop in stops
            from take in takes
            from drawdown in drawdowns
            from loss in losses
            from action in actions
            select Normalized(s with { StopLossPrice = stop, TakeProfitPrice = take, MaxDrawdown = drawdown, MaxDailyLoss = loss, GuardAction = action })).Distinct().ToList();

        // Without a guard the action does nothing: "off" with stop and with exit is one run, not two.
        static SymbolSettings Normalized(SymbolSettings s) => s.HasGuards ? s : s with { GuardAction = GuardAction.Stop };
    }

    /// <summary><c>--guard-action</c>: <c>stop</c> or <c>exit</c>.</summary>
    public static GuardAction ParseAction(string text) => text.Trim().ToLowerInvariant() switch
    {
        "stop" => GuardAction.Stop,
        "exit" => GuardAction.Exit,
        _ => throw new UsageException($"--guard-action '{text.Trim()}' must be stop or exit."),
    };

    /// <summary>The guards of <paramref name="settings"/> for a settings line: <c>, stop_loss 0.4, guard_action exit</c>, or nothing.</summary>
    public static string Describe(SymbolSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.HasGuards ? ", " + Join(settings, "stop_loss", "take_profit", "max_drawdown", "max_daily_loss", "guard_action ", ", ") : "";
    }

    /// <summary>The guards for a sweep's table cell: <c>dd0.05 exit</c>, <c>sl0.4 tp0.7 stop</c>, or <c>off</c>.</summary>
    public static string Short(SymbolSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.HasGuards ? Join(settings, "sl", "tp", "dd", "dl", "", " ") : "off";
    }

    private static string Join(SymbolSettings settings, string stop, string take, string drawdown, string loss, string action, string separator)
    {
        var gap = separator == " " ? "" : " ";
        var parts = new List<string>();
        Add(stop, settings.StopLossPrice);
        Add(take, settings.TakeProfitPrice);
        Add(drawdown, settings.MaxDrawdown);
        Add(loss, settings.MaxDailyLoss);
        parts.Add(action + settings.GuardAction.ToString().ToLowerInvariant());
        return string.Join(separator, parts);

        void Add(string name, decimal? value)
        {
            if (value is { } v)
            {
                parts.Add(name + gap + v.ToString(Inv));
            }
        }
    }

    /// <summary>
    /// One line per guard that fired, e.g. <c>Guard fired: XRPUSDT MaxDrawdown at 2024-01-01 10:00:00, price 0.94, figure
    /// 0.0515 (threshold 0.05), action exit: sold 100 for 93.906</c>.
    /// </summary>
    public static void WriteFired(TextWriter output, BacktestResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        foreach (var s in result.Symbols)
        {
            foreach (var g in s.Guards ?? [])
            {
                var exit = g.Action == GuardAction.Exit ? $": sold {g.Sold.ToString(Inv)} for {Math.Round(g.Proceeds, 8).ToString(Inv)}{(g.ExitProblem is { } problem ? "; " + problem : "")}" : "";
                output.WriteLine($"Guard fired: {s.Symbol} {g.Guard} at {g.Time.ToString("yyyy-MM-dd HH:mm:ss", Inv)}, price {g.Price.ToString(Inv)}, figure {Math.Round(g.Figure, 8).ToString(Inv)} (threshold {g.Threshold.ToString(Inv)}), action {g.Action.ToString().ToLowerInvariant()}{exit}");
            }
        }
    }

    // One option's values: none given is one "off"; "off" in a list is a run without that guard.
    private static List<decimal?> Values(CommandLine cl, string name) => cl.String(name) is { } text ? Values(name, text) : [null];

    /// <summary>A guard's <paramref name="text"/>: a value, <c>off</c>, a list of them or a range <c>start:stop:step</c>.</summary>
    public static List<decimal?> Values(string name, string text)
    {
        var values = new List<decimal?>();
        foreach (var part in text.Split(','))
        {
            var item = part.Trim();
            if (item.Equals("off", StringComparison.OrdinalIgnoreCase))
            {
                values.Add(null);
                continue;
            }

            var range = item.Split(':');
            if (range.Length == 3)
            {
                var (start, stop, step) = (Number(range[0]), Number(range[1]), Number(range[2]));
                if (step <= 0 || stop < start)
                {
                    throw new UsageException($"--{name} range '{item}' needs start <= stop and a step > 0.");
                }

                for (var v = start; ; v += step)
                {
                    values.Add(v);
                    if (values.Count > MaxValues)
                    {
                        throw new UsageException($"--{name} '{text}' has more than {MaxValues} values.");
                    }

                    if (stop - v < step)
                    {
                        break;
                    }
                }
            }
            else if (range.Length == 1)
            {
                values.Add(Number(item));
            }
            else
            {
                throw new UsageException($"--{name} '{item}' must be a value, off, a list a,b,c or a range start:stop:step.");
            }
        }

        return values;

        decimal Number(string part) =>
            decimal.TryParse(part, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new UsageException($"--{name} '{part}' is not a number (use '.' as the decimal separator).");
    }
}
