using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Backtesting.PublicData;
using NaiveStrategy.Mock;
using Spectre.Console;
using NaiveStrategy.Backtesting;

namespace NaiveStrategy.Sample;

/// <summary>The sample console app: <c>backtest</c> and <c>sweep</c> on the in-memory exchange.</summary>
public static class SampleApp
{
    /// <summary>The data file used when <c>--trades</c> is not given (generated, see the README).</summary>
    public static readonly string BundledTrades = Path.Combine(AppContext.BaseDirectory, "data", "XRPUSDT-trades-2024-01-01.csv");

    internal const string Usage = """
        usage: NaiveStrategy.Sample <command> [options]
          backtest   replay trades through the strategy on the in-memory exchange and report
          sweep      run a grid of settings over the same trades (read once) and rank by PnL; with --cluster
                     --redis HOST:PORT [--cluster-id ID] the combinations are spread over the silos of a cluster
          sandbox    a Binance-compatible server on 127.0.0.1 backed by the in-memory exchange; prints its
                     REST, WebSocket API and streams URLs: --port N --exchange-info PATH --trades PATH
                     --speed X --api-key K --secret-key S --faults delay=200ms,order5xx=1,429=1,duplicate,…
                     --partial-fills (keys also from NAIVE_SANDBOX_API_KEY and NAIVE_SANDBOX_SECRET_KEY;
                     flags win)
          paper      real Binance market data, fills simulated locally (no keys): --symbol S[,S…] [--partial-fills]
                     [strategy options] [--http ADDRESS:PORT]
          live       Binance testnet (--production for the real exchange), keys from NAIVE_BINANCE_API_KEY and
                     NAIVE_BINANCE_SECRET_KEY (or NAIVE_BINANCE_PRIVATE_KEY_FILE, an Ed25519/RSA PEM), state in --state
                     PATH (default naive-state.db; resumes after a restart; one live per state file): --symbol S[,S…]
                     (each symbol's own settings from Sample:Symbols:S in appsettings.json)
                     [--rest-url U --ws-api-url U --stream-url U]
                     [strategy options] [--http ADDRESS:PORT]
          status     print the symbols, traders and open orders of --state PATH (reads only; works while
                     live runs)
          parity     does the backtest predict live? replay what live recorded and compare order by order:
                     --state PATH --trades DIR (default: recordings beside the state file) [--out PATH.csv]
                     [--plot PATH.png] (every divergence with its cause)
          silo       one silo of an Orleans cluster (membership and state in Redis) trading on Binance like live,
                     each symbol's Leader on one silo, moved to another when its silo is lost; it also runs parts
                     of sweeps: --redis HOST:PORT [--symbol S[,S…]] [--address IP --silo-port N
                     --gateway-port N --cluster-id ID] [--rest-url U --ws-api-url U --stream-url U]
                     [strategy options]
          ctl        drive a running live or paper through its control API, token from NAIVE_API_TOKEN:
                     --url URL symbols | start S | stop S | shutdown S | set S --budget D --chunks N
                     --buy-down D --profit D --rebuy D
          download   fetch Binance's public spot trade files, verified against their .CHECKSUM (SHA-256):
                     --symbol S[,S…] --from DATE --to DATE [--kind trades|aggTrades] [--out DIR]
                     [--base-url URL] (whole published months as monthly files, other days daily)
          catalog    catalog import --trades PATH --out DIR: convert trade files (csv or zip) into a
                     Parquet catalog (one file per symbol and day) that --trades DIR replays directly
          generate   write a seeded synthetic trades file in Binance's public-data format:
                       --out PATH --count N --seed N --start-price D --tick-size D --step-size D
                       --start 2024-01-01T00:00:00Z --volatility D --drift D[,D…] (per equal segment)

        data and market:
          --trades PATH        Binance public-data trades: .csv or .zip files, a directory or a glob; repeat
                               for more (several symbols are merged by time); default: the bundled sample
          --symbol S           symbol when file names do not carry it (SYMBOL-trades-YYYY-MM-DD.csv)
          --from DATE          first UTC day to replay (YYYY-MM-DD): files and catalog days before it are not read
          --to DATE            last UTC day to replay (inclusive)
          --skip-bad-lines     count malformed lines by reason instead of stopping at the first
          --partial-fills      fill model (also paper and sandbox): a market trade fills crossing orders only
                               up to its own quantity; default: a crossing order fills fully (the book's mock).
                               The report and --json name the model used
          --exchange-info PATH symbol filters from a Binance exchangeInfo JSON file (NOTIONAL or MIN_NOTIONAL);
                               without it, the next three options give them
          --tick-size D        PRICE_FILTER tickSize, > 0 and <= 1000000 (default 0.0001)
          --step-size D        LOT_SIZE stepSize, > 0 and <= 1000000000 (default 1)
          --min-notional D     NOTIONAL minNotional, >= 0 and <= 1000000000000 (default 10)
        strategy (sweep: a value, a list a,b,c or a range start:stop:step; at most 1000 combinations):
          --budget D           quote budget per symbol, > 0 and <= 1000000000000 (default 100)
          --chunks N           max traders in parallel, 1 to 1000 (default 5)
          --buy-down D         buy_down_interval (default 0.0001)
          --profit D           profit_interval (default -0.0012)
          --rebuy D            rebuy_interval (default 0.001)
          --fee D              exchange fee rate, maker and taker (default 0.001)
          --taker-fee D        taker fee rate only (backtest, paper, sandbox): an order that crosses the last
                               trade's price fills at once at that price as taker (default: --fee)
          --max-buy-wait W     optional stale-BUY rule, off by default (the book's BUY waits): an unfilled BUY is
                               canceled and placed again under the current price after a duration of market
                               time (90s, 30m, 2h, 1d) or once the price has risen a distance (1.5%) above where
                               it was placed; off to compare (sweep: off,30m,1%)
          --stop-loss P        risk guard, off by default: a market trade at or below price P fires it
          --take-profit P      risk guard: a market trade at or above price P fires it
          --max-drawdown F     risk guard: equity (marked to market) a fraction F below its peak (0.05 = 5 %)
          --max-daily-loss Q   risk guard: Q quote lost (realized + unrealized) since 00:00 UTC of market time
          --guard-action A     stop (default: cancel open BUYs, holders keep their SELLs, no new trader) or exit
                               (cancel every order, sell all held with one MARKET order); a fired guard keeps
                               the symbol off until started again (sweep: each takes off and lists, e.g.
                               --max-drawdown off,0.05 --guard-action stop,exit)
          --threads N          1: read, parse and replay on one thread; more: read and parse on their own
                               thread while the strategy runs, a backtest's symbols (each with its own engine)
                               or a sweep's settings on up to N cores at once (default: every core); the
                               results are the same
          --no-skip            backtest, sweep: replay every trade instead of jumping over the trades that
                               change nothing (found with an index per batch); the same report, orders and JSON
          --walk-forward T:S   sweep: rolling windows of market time, training T then test S (7d:1d, 12h:2h):
                               the best setting on each training window (--rank-by) runs on the next test
                               window; prints the out-of-sample PnL, drawdown and rank per window and in total
                               (the trades are held in memory)
          --rank-by R          sweep --walk-forward: pnl (default), return-over-drawdown or sharpe (daily
                               returns of marked equity)
        output (backtest):
          --orders-out PATH    write every order as CSV, refused placements included (status REJECTED, the
                               exchange's code in the error column)
          --json PATH          write the report as JSON
          --plot PATH          draw the equity curve and price as PNG (parity: live's and the replay's
                               equity on one chart, divergences marked)
          --log-level LEVEL    Trace, Debug, Information (default), Warning, Error, None; logs go to stderr,
                               so stdout carries only the command's result (backtest > report.txt)
        sandbox, paper, live, status, ctl:
          --port N             sandbox: the port on 127.0.0.1 (default 0: any free port)
          --speed X            sandbox: replay speed of --trades (default 1: the trades' own pace)
          --api-key K          sandbox: the API key it accepts (or NAIVE_SANDBOX_API_KEY)
          --secret-key S       sandbox: that key's secret (or NAIVE_SANDBOX_SECRET_KEY)
          --public-key-file F  sandbox: that key is Ed25519 or RSA, verified with this PEM public key
          --faults LIST        sandbox: faults to inject, e.g. delay=200ms,order5xx=1,429=1,duplicate
          --production         paper, live, silo: the real Binance instead of the testnet
          --rest-url U         live, silo: REST base URL (e.g. the sandbox's)
          --ws-api-url U       live, silo: WebSocket API URL (e.g. the sandbox's)
          --stream-url U       paper, live, silo: market streams URL (e.g. the sandbox's)
          --state PATH         live, status, parity: the SQLite state file (default naive-state.db)
          --record DIR         live, paper: record every market trade received as public-data files in DIR
                               (default: recordings beside the state file; off turns it off)
          --http ADDRESS:PORT  live, paper: serve the control API and the dashboard there (port 0 = any free
                               port; ADDRESS defaults to 127.0.0.1) and print 'dashboard: http://ADDRESS:PORT/';
                               the API token is NAIVE_API_TOKEN, or generated and printed once
          --url URL            ctl: the address live or paper printed as 'dashboard: …'
        silo, sweep --cluster:
          --cluster            sweep: deal the combinations round-robin over the cluster's silos (each reads the
                               trade files once, at the same path); the ranking is the local sweep's
          --redis HOST:PORT    the Redis that holds the cluster's membership and the Leaders' state (a
                               StackExchange.Redis configuration string also works)
          --redis-wait SECONDS how long to wait for that Redis to answer at start before giving up with
                               an error (default 30)
          --address IP         the address this silo listens on and advertises to the others (default
                               127.0.0.1: every silo on this machine)
          --silo-port N        this silo's port for the other silos (default 11111)
          --gateway-port N     this silo's port for clients (default 30000)
          --cluster-id ID      the cluster's name, the same on every silo (default naive-strategy)
        download, catalog import, generate:
          --out PATH           download: the directory for the zips (default data); catalog import: the
                               catalog's directory; generate: the file, named SYMBOL-trades-YYYY-MM-DD.csv;
                               parity: one CSV row per order of either run (matched, live only, replay only)
          --kind KIND          download: trades (default) or aggTrades
          --base-url URL       download: the public data site (default https://data.binance.vision/)
          --parallel N         download: files fetched at once, 1 to 16 (default 4)
          --count N            trades to write, 1 to 1000000000 (default 100000)
          --seed N             random seed (default 42): the same seed writes the same file
          --start-price D      first price (default 0.62)
          --start T            time of the first trade (default 2024-01-01T00:00:00Z)
          --volatility D       per-trade log-return deviation, 0 to 0.1 (default 0.0002)
          --drift D            per-trade drift, -0.01 to 0.01; a list D,D,… gives one per equal segment
        """;

    /// <summary>Runs the app; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        SampleConfiguration.BeginRun();
        try
        {
            return args switch
            {
                ["backtest", .. var rest] => await BacktestAsync(rest, output, error, cancellationToken),
                ["sweep", .. var rest] => await SweepAsync(rest, output, error, cancellationToken),
                ["generate", .. var rest] => Generate(rest, output),
                ["download", .. var rest] => await DataCommands.DownloadAsync(rest, output, error, cancellationToken),
                ["catalog", .. var rest] => await DataCommands.CatalogAsync(rest, output, cancellationToken),
                ["sandbox", .. var rest] => await LiveCommands.SandboxAsync(rest, output, cancellationToken),
                ["paper", .. var rest] => await LiveCommands.PaperAsync(rest, output, cancellationToken),
                ["live", .. var rest] => await LiveCommands.LiveAsync(rest, output, cancellationToken),
                ["status", .. var rest] => LiveCommands.Status(rest, output),
                ["parity", .. var rest] => await ParityCommand.RunAsync(rest, output, cancellationToken),
                ["silo", .. var rest] => await SiloCommand.RunAsync(rest, output, cancellationToken),
                ["ctl", .. var rest] => await ControlClient.RunAsync(rest, output, error, cancellationToken),
                ["--help" or "-h" or "-?" or "help"] => Help(output),
                ["help", var command] => await RunAsync([command, "--help"], output, error, cancellationToken),
                ["--version"] => Version(output),
                [] => throw new UsageException("a command is required."),
                [var command, ..] => throw new UsageException($"unknown command '{command}'."),
            };
        }
        catch (HelpRequestedException help)
        {
            await output.WriteLineAsync(help.Message);
            return 0;
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync($"error: {SampleConfiguration.Explain(ex.Message)}");
            await error.WriteLineAsync(Usage);
            return 2;
        }
        catch (Exception ex) when (ex is TradeFileFormatException or ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException or FormatException or NaiveStrategy.Sqlite.StrategyStoreException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }

    private static int Help(TextWriter output)
    {
        output.WriteLine(Usage);
        output.WriteLine("Each command's own options: NaiveStrategy.Sample <command> --help. Options take --name value or --name=value.");
        return 0;
    }

    /// <summary>The sample's console logging: one line per entry, every level on stderr so stdout carries only results.</summary>
    internal static ILoggingBuilder AddSampleConsole(this ILoggingBuilder builder, LogLevel level) =>
        builder.SetMinimumLevel(level).AddSimpleConsole(o => o.SingleLine = true).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

    // The informational version: the package version and the commit it was built from.
    private static int Version(TextWriter output)
    {
        var assembly = typeof(SampleApp).Assembly;
        var version = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        output.WriteLine($"NaiveStrategy.Sample {version}");
        return 0;
    }

    // Bounds of the market options: far beyond any Binance symbol, small enough to keep decimal arithmetic
    // (≈ 7.9e28 at most) from overflowing. Prices share the trade readers' bound (below 1e14).
    private static readonly CommandLine.Bounds TickRange = new(0m, false, 1_000_000m);
    private static readonly CommandLine.Bounds StepRange = new(0m, false, 1_000_000_000m);
    private static readonly CommandLine.Bounds MinNotionalRange = new(0m, true, 1_000_000_000_000m);
    private static readonly CommandLine.Bounds PriceRange = new(0m, false, 10_000_000_000_000m);

    // Per-trade log-return figures of the generator: beyond these the random walk leaves any sane price at once.
    private static readonly CommandLine.Bounds VolatilityRange = new(0m, true, 0.1m);
    private static readonly CommandLine.Bounds DriftRange = new(-0.01m, true, 0.01m);
    private const long MaxGeneratedTrades = 1_000_000_000;

    private static readonly string[] MarketOptions = ["trades", "symbol", "exchange-info", "tick-size", "step-size", "min-notional", "from", "to"];
    private static readonly string[] MarketFlags = ["skip-bad-lines", PartialFillsFlag];

    /// <summary>backtest and sweep: replay every trade instead of jumping over the quiet ones (same result, for comparison).</summary>
    internal const string NoSkipFlag = "no-skip";

    /// <summary>The fill model's flag, shared by backtest, sweep, paper and sandbox.</summary>
    internal const string PartialFillsFlag = "partial-fills";

    private static async Task<int> BacktestAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var cl = new CommandLine("backtest", args, [.. MarketOptions, .. SettingsGrid.Options, Fees.TakerFeeOption, "orders-out", "json", "plot", "log-level", "threads"], [.. MarketFlags, NoSkipFlag]);
        var (trades, filters) = Market(cl);
        var grid = SettingsGrid.Parse(cl, filters[0].Symbol);
        if (grid.Count != 1)
        {
            throw new UsageException("backtest takes one value per setting; use sweep for lists and ranges.");
        }

        var settings = grid[0];
        var threads = Threads(cl);
        var level = ParseLevel(cl.String("log-level") ?? "Information");
        var plotPath = cl.String("plot");
        var stopwatch = Stopwatch.StartNew();
        var start = FirstTradeTime(trades);
        var sampling = plotPath is null ? (TimeSpan?)null : TimeSpan.FromMinutes(1);

        // Several symbols on several threads: one engine and exchange per symbol, replaying the batches in parallel;
        // each account is funded as the shared one, so funds never bind and the combined result is the shared run's.
        IReadOnlyList<SymbolFilters?> runs = threads > 1 && filters.Count > 1 ? [.. filters] : [null];
        var simulations = new List<Simulation>();
        BacktestResult result;
        try
        {
            foreach (var only in runs)
            {
                simulations.Add(await Simulation.StartAsync(settings, filters, start, level, sampling, cl.Has(PartialFillsFlag), only, Fees.TakerFee(cl), cancellationToken));
            }

            await WithProgressAsync(output, error, trades, progress => Simulation.ReplayAll(trades, simulations, threads, progress, !cl.Has(NoSkipFlag), cancellationToken));
            result = simulations.Count == 1 ? simulations[0].Session.Complete() : BacktestResult.Combine(simulations.Select(s => s.Session.Complete()));
        }
        finally
        {
            foreach (var simulation in simulations)
            {
                await simulation.DisposeAsync();
            }
        }

        stopwatch.Stop();
        if (cl.String("orders-out") is { } ordersPath)
        {
            OrdersCsv.Write(ordersPath, result.Journal, symbol => filters.First(f => f.Symbol == symbol));
        }

        if (cl.String("json") is { } jsonPath)
        {
            await File.WriteAllTextAsync(jsonPath, result.ToJson() + "\n", cancellationToken);
        }

        if (plotPath is not null)
        {
            EquityPlot.Save(plotPath, result);
        }

        output.WriteLine();
        output.WriteLine($"Backtest over {Describe(trades)}");
        ReportSkipped(output, trades);
        ReportWriter.Backtest(output, settings, result);
        WriteSpeed(output, result.TradesReplayed, stopwatch.Elapsed);
        var refused = ReportRefusals(error, result.Refusals);
        return Math.Max(refused, ReportCrashes(error, result.TradersCrashed, 1));
    }

    // Settings that cannot trade were refused before any order: the run is not a result of those settings (exit 1).
    internal static int ReportRefusals(TextWriter error, IReadOnlyList<string> refusals)
    {
        foreach (var refusal in refusals)
        {
            error.WriteLine($"error: {refusal}");
        }

        return refusals.Count == 0 ? 0 : 1;
    }

    private static async Task<int> SweepAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var cl = new CommandLine("sweep", args, [.. MarketOptions, .. SettingsGrid.Options, "threads", "redis", "redis-wait", "cluster-id", WalkForward.Option, WalkForward.RankOption], [.. MarketFlags, "cluster", NoSkipFlag]);
        var (trades, filters) = Market(cl);
        var grid = SettingsGrid.Parse(cl, filters[0].Symbol);
        var threads = Threads(cl);
        if (cl.Has("cluster"))
        {
            return await ClusterSweep.RunAsync(cl, trades, filters, grid, threads, output, error, cancellationToken);
        }

        if (cl.Has("redis") || cl.Has("redis-wait") || cl.Has("cluster-id"))
        {
            throw new UsageException("--redis, --redis-wait and --cluster-id go with --cluster.");
        }

        var stopwatch = Stopwatch.StartNew();
        if (cl.Has(WalkForward.Option) || cl.Has(WalkForward.RankOption))
        {
            return await WalkForward.RunAsync(cl, trades, filters, grid, threads, output, cancellationToken);
        }

        var runs = await SimulateAsync(trades, filters, grid, threads, cl.Has(PartialFillsFlag), replay => WithProgressAsync(output, error, trades, replay), !cl.Has(NoSkipFlag), cancellationToken);
        stopwatch.Stop();
        return WriteSweep(output, error, trades, (trades.Diagnostics.SkippedSummary, trades.Diagnostics.Messages), runs, stopwatch.Elapsed);
    }

    /// <summary>
    /// Runs each of <paramref name="grid"/>'s settings over <paramref name="trades"/>, read once for all (on up to
    /// <paramref name="threads"/> cores); <paramref name="withProgress"/> runs the replay it is given, reporting progress or not.
    /// </summary>
    internal static async Task<List<(SymbolSettings Settings, BacktestResult Result)>> SimulateAsync(TradeFileSet trades, IReadOnlyList<SymbolFilters> filters, IReadOnlyList<SymbolSettings> grid, int threads, bool partialFills, Func<Action<Action<long>>, Task> withProgress, bool skip, CancellationToken cancellationToken)
    {
        var start = FirstTradeTime(trades);
        var simulations = new List<Simulation>();
        try
        {
            foreach (var settings in grid)
            {
                simulations.Add(await Simulation.StartAsync(settings, filters, start, LogLevel.None, null, partialFills, null, null, cancellationToken));
            }

            await withProgress(progress => Simulation.ReplayAll(trades, simulations, threads, progress, skip, cancellationToken));
            return [.. simulations.Select(s => (s.Settings, s.Session.Complete()))];
        }
        finally
        {
            foreach (var simulation in simulations)
            {
                await simulation.DisposeAsync();
            }
        }
    }

    /// <summary>A sweep's report: what was read, the ranking, the speed; exit code 1 when a trader crashed.</summary>
    internal static int WriteSweep(TextWriter output, TextWriter error, TradeFileSet trades, (string? Summary, IReadOnlyList<string> Messages) skipped, IReadOnlyList<(SymbolSettings Settings, BacktestResult Result)> runs, TimeSpan elapsed)
    {
        output.WriteLine($"Sweep of {runs.Count.ToString(CultureInfo.InvariantCulture)} settings over {Describe(trades)}, ranked by total PnL:");
        ReportSkipped(output, skipped.Summary, skipped.Messages);
        ReportWriter.Sweep(output, runs);
        WriteSpeed(output, runs.Count == 0 ? 0 : runs[0].Result.TradesReplayed * runs.Count, elapsed, "combination-trades/s");
        return ReportCrashes(error, runs.Sum(r => r.Result.TradersCrashed), runs.Count(r => r.Result.TradersCrashed > 0));
    }

    // A trader that threw lost the input it was handling: the figures are not those of the strategy, so the
    // run must not look like a success (exit 1), even though the report is printed.
    internal static int ReportCrashes(TextWriter error, int crashes, int runs)
    {
        if (crashes == 0)
        {
            return 0;
        }

        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: traders crashed {crashes} time(s){(runs > 1 ? $" in {runs} settings" : "")}; each crash is logged with its exception (--log-level Error): the figures above are not to be trusted."));
        return 1;
    }

    private static int Generate(string[] args, TextWriter output)
    {
        var cl = new CommandLine("generate", args, ["out", "count", "seed", "start-price", "tick-size", "step-size", "start", "volatility", "drift"], []);
        var path = cl.String("out") ?? throw new UsageException("generate needs --out PATH (e.g. XRPUSDT-trades-2024-01-01.csv).");
        var options = new TradeFileGeneratorOptions
        {
            Count = cl.Whole("count", 100_000, 1, MaxGeneratedTrades),
            Seed = (int)cl.Whole("seed", 42, int.MinValue, int.MaxValue),
            StartPrice = cl.Decimal("start-price", 0.62m, PriceRange),
            TickSize = cl.Decimal("tick-size", 0.0001m, TickRange),
            StepSize = cl.Decimal("step-size", 1m, StepRange),
            Volatility = (double)cl.Decimal("volatility", 0.0002m, VolatilityRange),
        };
        if (cl.String("start") is { } start)
        {
            options.Start = DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw new UsageException($"--start '{start}' is not a date, e.g. 2024-01-01T00:00:00Z.");
        }

        foreach (var drift in (cl.String("drift") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            options.Drifts.Add(decimal.TryParse(drift, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? (double)d : throw new UsageException($"--drift '{drift}' is not a number."));
            DriftRange.Check("drift", d);
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        using (var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 16))
        {
            TradeFileGenerator.Write(writer, options);
        }

        output.WriteLine($"wrote {options.Count.ToString("N0", CultureInfo.InvariantCulture)} trades to {path}");
        return 0;
    }

    internal static (TradeFileSet Trades, IReadOnlyList<SymbolFilters> Filters) Market(CommandLine cl)
    {
        var paths = cl.Strings("trades") is { Count: > 0 } given ? given : [BundledTrades];
        TradeFileSet trades;
        try
        {
            var (from, to) = DataCommands.Days(cl);
            trades = TradeFileReader.Open(paths, new TradeFileReaderOptions { Symbol = cl.String("symbol")?.ToUpperInvariant(), SkipBadLines = cl.Has("skip-bad-lines"), From = from, To = to });
        }
        catch (FileNotFoundException ex)
        {
            throw new UsageException($"--trades: {ex.Message}");
        }

        var (tick, step, minNotional) = (cl.Decimal("tick-size", 0.0001m, TickRange), cl.Decimal("step-size", 1m, StepRange), cl.Decimal("min-notional", 10m, MinNotionalRange));

        if (cl.String("exchange-info") is { } info)
        {
            IReadOnlyDictionary<string, SymbolFilters> listed;
            try
            {
                listed = NaiveStrategy.Binance.BinanceExchangeInfo.Load(info);
            }
            catch (Exception ex) when (ex is FormatException or IOException)
            {
                throw new UsageException($"--exchange-info '{info}': {ex.Message}");
            }

            return (trades, trades.Symbols.Select(symbol => listed.TryGetValue(symbol, out var f) ? f : throw new UsageException($"{symbol} is not listed in --exchange-info '{info}'.")).ToArray());
        }

        var filters = trades.Symbols.Select(symbol =>
        {
            var (baseAsset, quoteAsset) = SplitSymbol(symbol);
            return new SymbolFilters { Symbol = symbol, BaseAsset = baseAsset, QuoteAsset = quoteAsset, TickSize = tick, StepSize = step, MinNotional = minNotional };
        }).ToArray();
        return (trades, filters);
    }

    private static string Describe(TradeFileSet trades) =>
        (trades.Files.Count == 1 ? DataCommands.FileName(trades.Files[0]) : $"{trades.Files.Count.ToString(CultureInfo.InvariantCulture)} files ({string.Join(", ", trades.Symbols)})")
        + (trades.Kinds.Contains(TradeFileKind.AggTrades) ? $" ({string.Join(" and ", trades.Kinds.Select(DataCommands.KindName))})" : "");

    private static void ReportSkipped(TextWriter output, TradeFileSet trades) => ReportSkipped(output, trades.Diagnostics.SkippedSummary, trades.Diagnostics.Messages);

    private static void ReportSkipped(TextWriter output, string? skippedSummary, IReadOnlyList<string> messages)
    {
        if (skippedSummary is not null)
        {
            output.WriteLine($"{skippedSummary}; first: {string.Join(" | ", messages)}");
        }
    }

    private static (string Base, string Quote) SplitSymbol(string symbol)
    {
        foreach (var quote in new[] { "USDT", "USDC", "FDUSD", "BUSD", "TUSD", "BTC", "ETH", "BNB", "EUR", "TRY" })
        {
            if (symbol.Length > quote.Length && symbol.EndsWith(quote, StringComparison.Ordinal))
            {
                return (symbol[..^quote.Length], quote);
            }
        }

        throw new UsageException($"cannot tell the quote asset of {symbol}; pass filters from an exchangeInfo file.");
    }

    // The replay runs on market time from the first trade: trader ids and timestamps do not depend on the wall clock.
    // No trade at all (every line skipped) is an error: a report of nothing would look like a quiet market.
    private static DateTimeOffset FirstTradeTime(TradeFileSet trades)
    {
        foreach (var trade in trades)
        {
            return trade.Time;
        }

        throw new InvalidOperationException($"no trades to replay in {Describe(trades)}: {trades.Diagnostics.SkippedSummary ?? "no line was read"}.");
    }

    private static async Task WithProgressAsync(TextWriter output, TextWriter error, TradeFileSet trades, Action<Action<long>> replay)
    {
        var total = Math.Max(1, trades.TotalBytes);
        if (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(ctx =>
                {
                    var name = Describe(trades);
                    var task = ctx.AddTask(name, maxValue: total);
                    var watch = Stopwatch.StartNew();
                    replay(n =>
                    {
                        task.Description = $"{name} {(n / Math.Max(watch.Elapsed.TotalSeconds, 1e-9)).ToString("N0", CultureInfo.InvariantCulture)} events/s";
                        task.Value = Math.Min(trades.Diagnostics.BytesRead, total - 1);
                    });
                    task.Value = total;
                    return Task.CompletedTask;
                });
            return;
        }

        var clock = Stopwatch.StartNew();
        var next = TimeSpan.FromSeconds(2);
        replay(n =>
        {
            if (clock.Elapsed >= next)
            {
                next = clock.Elapsed + TimeSpan.FromSeconds(2);
                var done = (double)trades.Diagnostics.BytesRead / total;
                var eta = done > 0 ? TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds * (1 - done) / done) : TimeSpan.Zero;
                error.WriteLine($"replayed {n.ToString("N0", CultureInfo.InvariantCulture)} trades, {(done * 100).ToString("0", CultureInfo.InvariantCulture)} % ({(n / clock.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)}/s, ETA {eta:hh\\:mm\\:ss})");
            }
        });
    }

    private static void WriteSpeed(TextWriter output, long events, TimeSpan elapsed, string unit = "events/s")
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        output.WriteLine($"wall time {seconds.ToString("0.000", CultureInfo.InvariantCulture)} s, {(events / seconds).ToString("N0", CultureInfo.InvariantCulture)} {unit}");
    }

    // --threads N: 1 keeps everything on one thread; more reads on one thread while the strategy runs (and a
    // sweep's settings replay) on the others. Default: every core.
    private static int Threads(CommandLine cl) => (int)cl.Whole("threads", Environment.ProcessorCount, 1, 1024);

    internal static LogLevel ParseLevel(string text) =>
        Enum.TryParse<LogLevel>(text, ignoreCase: true, out var level) && Enum.IsDefined(level)
            ? level
            : throw new UsageException($"--log-level '{text}' is not one of {string.Join(", ", Enum.GetNames<LogLevel>())}.");
}
