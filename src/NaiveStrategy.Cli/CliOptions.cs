using System.Globalization;
using System.Net;

namespace NaiveStrategy.Cli;

/// <summary>
/// Every option of <c>naive</c>, declared once: the sets of options per concern that commands share (so a
/// command that needs one takes it by the same name and type as every other), each command's options, and each
/// option's type — the parser that turns its text into a value and bounds it. <see cref="CommandLine"/> runs that
/// parser on every value while System.CommandLine parses, and on values from configuration, so a bad value is one
/// error naming the option before the command does anything.
/// </summary>
internal static class CliOptions
{
    /// <summary>Which trades to replay and the symbols' filters.</summary>
    public static readonly string[] Data = ["trades", "symbol", "from", "to", "exchange-info", "tick-size", "step-size", "min-notional"];

    /// <summary>Flags of <see cref="Data"/>: malformed lines, and the fill model.</summary>
    public static readonly string[] DataFlags = ["skip-bad-lines", CliApp.PartialFillsFlag];

    /// <summary>The strategy's settings and its risk guards (sweep: each a grid dimension).</summary>
    public static readonly string[] Strategy = ["budget", "chunks", "buy-down", "profit", "rebuy", "fee", "max-buy-wait", .. GuardOptions.Names];

    /// <summary>Where Binance (or the sandbox) answers.</summary>
    public static readonly string[] Exchange = ["rest-url", "ws-api-url", "stream-url"];

    /// <summary>The level of the logs written to stderr.</summary>
    public static readonly string[] Logging = ["log-level"];

    /// <summary>The cluster a sweep or a silo joins.</summary>
    public static readonly string[] Cluster = ["redis", "redis-wait", "cluster-id"];

    /// <summary>Each command's options that take a value, and its flags.</summary>
    public static readonly IReadOnlyDictionary<string, (string[] Values, string[] Flags)> Commands = new Dictionary<string, (string[], string[])>(StringComparer.Ordinal)
    {
        ["backtest"] = ([.. Data, .. Strategy, AccountGuardOption.Name, Fees.TakerFeeOption, "orders-out", "json", "plot", "threads", .. Logging], [.. DataFlags, CliApp.NoSkipFlag]),
        ["sweep"] = ([.. Data, .. Strategy, "threads", .. Cluster, WalkForward.Option, WalkForward.RankOption, .. Logging], [.. DataFlags, "cluster", CliApp.NoSkipFlag]),
        ["generate"] = (["out", "count", "seed", "start-price", "tick-size", "step-size", "start", "volatility", "drift"], []),
        ["download"] = (["symbol", "from", "to", "kind", "out", "base-url", "parallel"], []),
        ["catalog"] = (["trades", "out", "symbol", "from", "to", "compression"], ["skip-bad-lines"]),
        ["sandbox"] = (["port", "exchange-info", "trades", "speed", "api-key", "secret-key", "public-key-file", "faults", "fee", Fees.TakerFeeOption, .. Logging], [CliApp.PartialFillsFlag]),
        ["paper"] = ([.. Strategy, AccountGuardOption.Name, Recording.Option, "symbol", Fees.TakerFeeOption, "stream-url", "exchange-info", ControlApi.Option, .. Logging], ["production", CliApp.PartialFillsFlag]),
        ["live"] = ([.. Strategy, AccountGuardOption.Name, Recording.Option, "symbol", .. Exchange, "state", ControlApi.Option, .. Logging], ["production"]),
        ["status"] = (["state"], []),
        ["parity"] = (["state", "trades", "out", "plot"], [CliApp.PartialFillsFlag]),
        ["silo"] = ([.. Strategy, "symbol", .. Exchange, "redis", "redis-wait", "cluster-id", "silo-port", "gateway-port", "address", .. Logging], ["production"]),
        ["ctl"] = (["url", "budget", "chunks", "buy-down", "profit", "rebuy"], []),
    };

    /// <summary>The words that may follow a command (subcommands of <c>catalog</c> and <c>ctl</c>), for completion.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Words = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["catalog"] = ["import"],
        ["ctl"] = ["symbols", "start", "stop", "shutdown", "set"],
    };

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly Dictionary<string, Func<string, object>> Types = new(StringComparer.Ordinal)
    {
        // data and market
        ["from"] = t => Day("from", t),
        ["to"] = t => Day("to", t),
        ["tick-size"] = t => Number("tick-size", t, CliApp.TickRange),
        ["step-size"] = t => Number("step-size", t, CliApp.StepRange),
        ["min-notional"] = t => Number("min-notional", t, CliApp.MinNotionalRange),

        // strategy: a value, a list a,b,c or a range start:stop:step (sweep), each value checked
        ["budget"] = t => SettingsGrid.Values("budget", t, v => SettingsGrid.BudgetRange.Check("budget", v)),
        ["chunks"] = t => SettingsGrid.Values("chunks", t, v => CommandLine.ParseWhole("chunks", v.ToString(Inv), 1, SettingsGrid.MaxChunks)),
        ["buy-down"] = t => SettingsGrid.Values("buy-down", t, _ => { }),
        ["profit"] = t => SettingsGrid.Values("profit", t, _ => { }),
        ["rebuy"] = t => SettingsGrid.Values("rebuy", t, _ => { }),
        ["fee"] = t => SettingsGrid.Values("fee", t, _ => { }),
        [Fees.TakerFeeOption] = t => Number(Fees.TakerFeeOption, t, Fees.Rate),
        ["max-buy-wait"] = t => t.Split(',').Select(SettingsGrid.ParseStaleBuyRule).ToList(),
        ["stop-loss"] = t => GuardOptions.Values("stop-loss", t),
        ["take-profit"] = t => GuardOptions.Values("take-profit", t),
        ["max-drawdown"] = t => GuardOptions.Values("max-drawdown", t),
        ["max-daily-loss"] = t => GuardOptions.Values("max-daily-loss", t),
        [AccountGuardOption.Name] = t => AccountGuardOption.Parse(t),
        ["guard-action"] = t => t.Split(',').Select(GuardOptions.ParseAction).ToList(),
        ["threads"] = t => CommandLine.ParseWhole("threads", t, 1, 1024),
        [WalkForward.Option] = t => WalkForward.ParseWindows(t),
        [WalkForward.RankOption] = t => WalkForward.ParseRank(t),

        // output and logs
        ["log-level"] = t => CliApp.ParseLevel(t),

        // sandbox, paper, live, silo, ctl
        ["port"] = t => CommandLine.ParseWhole("port", t, 0, IPEndPoint.MaxPort),
        ["speed"] = t => Number("speed", t, new CommandLine.Bounds(0m, true, 1_000_000m)), // 0: as fast as possible
        ["rest-url"] = t => Url("rest-url", t, "http"),
        ["ws-api-url"] = t => Url("ws-api-url", t, "ws"),
        ["stream-url"] = t => Url("stream-url", t, "ws"),
        ["url"] = t => Url("url", t, "http"),
        [ControlApi.Option] = t => ControlApi.Parse(t),
        ["redis-wait"] = t => CommandLine.ParseWhole("redis-wait", t, 1, 3_600),
        ["silo-port"] = t => CommandLine.ParseWhole("silo-port", t, 1, IPEndPoint.MaxPort),
        ["gateway-port"] = t => CommandLine.ParseWhole("gateway-port", t, 1, IPEndPoint.MaxPort),
        ["address"] = t => IPAddress.TryParse(t, out var address) ? address : throw new UsageException($"--address '{t}' is not an IP address, e.g. 10.0.0.5."),

        // download, generate
        ["kind"] = t => DataCommands.ParseKind(t),
        ["compression"] = t => DataCommands.ParseCompression(t),
        ["base-url"] = t => Url("base-url", t, "http"),
        ["parallel"] = t => CommandLine.ParseWhole("parallel", t, 1, 16),
        ["count"] = t => CommandLine.ParseWhole("count", t, 1, CliApp.MaxGeneratedTrades),
        ["seed"] = t => CommandLine.ParseWhole("seed", t, int.MinValue, int.MaxValue),
        ["start-price"] = t => Number("start-price", t, CliApp.PriceRange),
        ["start"] = t => CliApp.ParseStart(t),
        ["volatility"] = t => Number("volatility", t, CliApp.VolatilityRange),
        ["drift"] = t => t.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => Number("drift", d, CliApp.DriftRange)).ToList(),
    };

    /// <summary>True when <paramref name="option"/> has a type beyond text (paths, symbols, keys and names are text).</summary>
    public static bool IsTyped(string option) => Types.ContainsKey(option);

    /// <summary>
    /// Parses <paramref name="text"/> as <paramref name="option"/>'s type; throws <see cref="UsageException"/> naming
    /// the option when it is not one. Text options take any text.
    /// </summary>
    public static object Parse(string option, string text) => Types.TryGetValue(option, out var parse) ? parse(text) : text;

    /// <summary>The option's value parsed as <typeparamref name="T"/>, or <paramref name="fallback"/> when it was not given.</summary>
    public static T Get<T>(this CommandLine cl, string option, T fallback)
    {
        ArgumentNullException.ThrowIfNull(cl);
        return cl.String(option) is { } text ? (T)Parse(option, text) : fallback;
    }

    private static decimal Number(string option, string text, CommandLine.Bounds bounds)
    {
        var value = CommandLine.ParseDecimal(option, text);
        bounds.Check(option, value);
        return value;
    }

    private static DateOnly Day(string option, string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", Inv, DateTimeStyles.None, out var day)
            ? day
            : throw new UsageException($"--{option}: '{text}' is not a date (YYYY-MM-DD).");

    // An absolute URL of the scheme or its secure twin: http/https, ws/wss.
    private static Uri Url(string option, string text, string scheme) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == scheme || uri.Scheme == scheme + "s")
            ? uri
            : throw new UsageException($"--{option}: '{text}' is not an {scheme}(s) URL.");
}
