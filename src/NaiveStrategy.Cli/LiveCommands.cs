using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NaiveStrategy.Binance;
using NaiveStrategy.Backtesting.PublicData;
using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Mock;
using NaiveStrategy.Sqlite;

namespace NaiveStrategy.Cli;

/// <summary>The sample's networked modes: <c>sandbox</c>, <c>paper</c>, <c>live</c>, and <c>status</c> of a state file.</summary>
internal static class LiveCommands
{
    public const string ApiKeyVariable = "NAIVE_BINANCE_API_KEY";
    public const string SecretKeyVariable = "NAIVE_BINANCE_SECRET_KEY";

    /// <summary>A Binance-compatible server on 127.0.0.1; prints its REST, WebSocket API and streams URLs, one per line.</summary>
    public static async Task<int> SandboxAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var (options, cl) = SandboxOptionsOf(args);
        using var logs = LoggerFactory.Create(b => b.AddSampleConsole(CliApp.ParseLevel(cl.String("log-level") ?? "Warning")));
        await SandboxHost.RunAsync(options, output, logs, cancellationToken);
        return 0;
    }

    /// <summary>The sandbox command's options (nothing started, no file read yet): what <c>sandbox</c> would serve.</summary>
    internal static (SandboxOptions Options, CommandLine CommandLine) SandboxOptionsOf(string[] args)
    {
        var cl = new CommandLine("sandbox", args);
        var options = new SandboxOptions
        {
            Port = (int)cl.Decimal("port", 0),
            ExchangeInfoPath = cl.String("exchange-info"),
            ReplaySpeed = (double)cl.Decimal("speed", 1m),
            Faults = SandboxFaultOptions.Parse(cl.String("faults")),
            PartialFills = cl.Has(CliApp.PartialFillsFlag),
            FeeRate = cl.Decimal("fee", 0.001m, Fees.Rate),
            TakerFeeRate = Fees.TakerFee(cl),
        };
        var key = SandboxApiKey.FromCommandLineOrEnvironment(cl.String("api-key"), cl.String("secret-key"), new SandboxApiKey("sandbox-api-key", "sandbox-secret-key"));
        if (cl.String("public-key-file") is { } publicKeyFile)
        {
            // An Ed25519 or RSA key: its requests are verified with the public key, not a secret.
            try
            {
                key = SandboxApiKey.FromPublicKeyFile(key.ApiKey, publicKeyFile);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException("--public-key-file: " + ex.Message.Split(" (Parameter", 2)[0]);
            }
        }

        options.ApiKeys.Add(key);
        if (cl.Strings("trades") is { Count: > 0 } paths)
        {
            options.ReplayTrades = TradeFileReader.Open(paths);
        }

        return (options, cl);
    }

    /// <summary>Real Binance market data, fills simulated locally by the in-memory exchange: no keys needed.</summary>
    public static async Task<int> PaperAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var cl = new CommandLine("paper", args);
        var http = cl.String(ControlApi.Option) is { } paperHttp ? ControlApi.Parse(paperHttp) : null;
        var symbols = MultiSymbolSettings.Read(cl);
        var info = cl.String("exchange-info");
        var listed = info is null ? null : BinanceExchangeInfo.Load(info);
        var filters = symbols.Select(settings => listed is null
            ? SymbolFilterPresets.XrpUsdt with { Symbol = settings.Symbol }
            : listed.GetValueOrDefault(settings.Symbol) ?? throw new UsageException($"{settings.Symbol} is not in {info}.")).ToArray();

        // Binance's public trade streams (no keys, no signed call) matched by the in-memory exchange.
        var builder = ControlApi.HostBuilder(http, CliApp.ParseLevel(cl.String("log-level") ?? "Information"));
        builder.Services.AddNaiveStrategy(o => MultiSymbolSettings.AddTo(o, symbols, cl))
            .AddBinanceMarketData(o =>
            {
                o.UseTestnet = false;
                o.StreamBaseUrl = cl.String("stream-url") is { } url ? new Uri(url) : null;
            })
            .AddMockExchange(o =>
            {
                foreach (var (symbolFilters, settings) in filters.Zip(symbols))
                {
                    o.Symbols.Add(symbolFilters);
                    o.Balances[symbolFilters.QuoteAsset] = (o.Balances.TryGetValue(symbolFilters.QuoteAsset, out var held) ? held : 0m) + settings.Budget;
                }

                o.FeeRate = symbols[0].FeeRate;
                o.TakerFeeRate = Fees.TakerFee(cl) ?? symbols[0].FeeRate;
                o.PartialFills = cl.Has(CliApp.PartialFillsFlag);
                o.FinishedOrdersKept = 10_000; // runs for weeks: memory stays flat
            })
            .Also(b => Recording.AddTo(b, Recording.Directory(cl, state: null)));
        await using var host = ControlApi.Build(builder);
        var model = host.Services.GetRequiredService<InMemoryExchange>().PartialFills ? NaiveStrategy.Backtesting.FillModel.Partial : NaiveStrategy.Backtesting.FillModel.Full;
        return await RunEngineAsync(host.Host, output, $"paper ({ReportWriter.Describe(model)})", cancellationToken);
    }

    /// <summary>Binance testnet (or production with --production), keys from the environment, state in SQLite.</summary>
    public static async Task<int> LiveAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var cl = new CommandLine("live", args);
        var http = cl.String(ControlApi.Option) is { } liveHttp ? ControlApi.Parse(liveHttp) : null;
        var symbols = MultiSymbolSettings.Read(cl);
        var (apiKey, secretKey) = Keys("live");

        var state = cl.String("state") ?? "naive-state.db";
        var builder = ControlApi.HostBuilder(http, CliApp.ParseLevel(cl.String("log-level") ?? "Information"));
        builder.Services.AddNaiveStrategy(o => MultiSymbolSettings.AddTo(o, symbols, cl))
            .AddSqliteStore(state)
            .AddBinanceExchange(o => Binance(o, cl, (apiKey, secretKey)))
            .Also(b => Recording.AddTo(b, Recording.Directory(cl, state), state));
        await using var host = ControlApi.Build(builder);

        // The state file first: a second live on it (or a file it cannot write) stops here, before
        // anything connects to the exchange.
        host.Services.GetRequiredService<SqliteStrategyStore>();
        output.WriteLine($"live on {host.Services.GetRequiredService<IOptions<BinanceExchangeOptions>>().Value}, state {Path.GetFullPath(state)}");
        return await RunEngineAsync(host.Host, output, "live", cancellationToken);
    }

    /// <summary>
    /// Prints the symbols, traders and open orders saved in a state file. Reads it only: it works while
    /// live runs on the file, and creates or changes nothing beside it.
    /// </summary>
    public static int Status(string[] args, TextWriter output)
    {
        var cl = new CommandLine("status", args);
        var path = cl.String("state") ?? "naive-state.db";
        if (!File.Exists(path))
        {
            throw new UsageException($"--state '{path}' does not exist.");
        }

        using var store = SqliteStrategyStore.OpenReadOnly(path);
        var status = store.ReadStatus();
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine($"{status.Path} (schema {status.SchemaVersion.ToString(inv)})");
        foreach (var symbol in status.Symbols)
        {
            var s = symbol.Settings;
            output.WriteLine($"{s.Symbol} {symbol.Status}: chunks {s.Chunks.ToString(inv)}, budget {s.Budget.ToString(inv)}, buy_down {s.BuyDownInterval.ToString(inv)}, profit {s.ProfitInterval.ToString(inv)}, rebuy {s.RebuyInterval.ToString(inv)}{(s.RepricesStaleBuys ? ", max_buy_wait " + SettingsGrid.DescribeStaleBuyRule(s) : "")}; dust {symbol.Dust.ToString(inv)}, realized PnL {symbol.RealizedPnl.ToString(inv)}");
            foreach (var t in symbol.Traders)
            {
                output.WriteLine($"  trader {t.TraderId}: {t.Side?.ToString() ?? "-"} {t.Quantity?.ToString(inv) ?? "-"} @ {t.Price?.ToString(inv) ?? "-"} {t.OrderStatus?.ToString() ?? "waiting for a trade"} (executed {t.ExecutedQuantity?.ToString(inv) ?? "0"})");
            }
        }

        output.WriteLine($"open orders: {status.OpenOrders.Count.ToString(inv)}");
        foreach (var o in status.OpenOrders)
        {
            output.WriteLine($"  {o.Symbol} {o.Order.ClientOrderId} {o.Order.Side} {o.Order.Quantity.ToString(inv)} @ {o.Order.Price.ToString(inv)} {o.Order.Status} (trader {o.TraderId})");
        }

        return 0;
    }

    // The generic Host runs it: its hosted service starts the engine (resuming from the store if there is
    // one) after the control API is up (with --http), and stops it on Ctrl+C or SIGTERM. Every trader change
    // is printed; open orders stay on the exchange.
    private static async Task<int> RunEngineAsync(IHost host, TextWriter output, string mode, CancellationToken cancellationToken)
    {
        var engine = host.Services.GetRequiredService<NaiveStrategyEngine>();
        using var printer = engine.Events.Subscribe(e => output.WriteLine(Describe(e)));
        using var trading = MultiSymbolSettings.PrintTrading(engine, output);
        await host.StartAsync(cancellationToken);
        ControlApi.PrintAddress(host, output);

        // The hosted service starts the symbols in the background (an exchange that is down is retried,
        // logged on stderr): the lines below wait until they trade, or until the host stops.
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
        await WhenReadyAsync(engine, waiting.Token);
        foreach (var symbol in engine.Symbols)
        {
            foreach (var trader in engine.GetState(symbol)?.Traders ?? [])
            {
                output.WriteLine($"{symbol} trader {trader.TraderId}: {trader.OpenOrder?.Side.ToString() ?? "-"} @ {trader.OpenOrder?.Price.ToString(CultureInfo.InvariantCulture) ?? "-"} {trader.OpenOrder?.Status.ToString() ?? "waiting"} (resumed)");
            }
        }

        output.WriteLine($"{mode}: trading {string.Join(", ", engine.Symbols)}; Ctrl+C stops (open orders stay on the exchange)");
        await host.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    private static async Task WhenReadyAsync(NaiveStrategyEngine engine, CancellationToken cancellationToken)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Changed(object? sender, EngineReadiness readiness)
        {
            if (readiness.Status == EngineReadinessStatus.Ready)
            {
                ready.TrySetResult();
            }
        }

        engine.ReadinessChanged += Changed;
        try
        {
            if (engine.Readiness.Status != EngineReadinessStatus.Ready)
            {
                await ready.Task.WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped before every symbol started.
        }
        finally
        {
            engine.ReadinessChanged -= Changed;
        }
    }

    // One line per trader change; amounts without the exchange's trailing zeros (Binance lists 0.49500000).
    private static string Describe(StrategyEvent e)
    {
        var time = e.Time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        return e.Event switch
        {
            OrderPlaced p => $"{time} {e.Symbol} trader {p.TraderId}: {p.Request.Side} {Plain(p.Request.Quantity)} @ {Plain(p.Request.Price)} placing",
            OrderFilled f => $"{time} {e.Symbol} trader {f.TraderId}: {f.Order.Side} {Plain(f.Order.ExecutedQuantity)}/{Plain(f.Order.Quantity)} @ {Plain(f.Order.Price)} {f.Order.Status}",
            TraderStarted s => $"{time} {e.Symbol} trader {s.TraderId}: started ({s.Reason}, budget {Plain(s.Budget)})",
            TraderFinished f => $"{time} {e.Symbol} trader {f.TraderId}: finished {f.Outcome} ({f.Detail})",
            _ => $"{time} {e.Symbol} {e.Event}",
        };
    }

    private static string Plain(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    /// <summary>The adapter's options of live and silo: the keys, testnet unless --production, and the URLs given (e.g. the sandbox's).</summary>
    internal static void Binance(BinanceExchangeOptions o, CommandLine cl, (string ApiKey, string? SecretKey) keys)
    {
        (o.ApiKey, o.SecretKey) = keys;

        // Without a secret the private key comes from NAIVE_BINANCE_PRIVATE_KEY_FILE (the adapter reads it).
        o.UseTestnet = !cl.Has("production");
        o.RestBaseUrl = cl.String("rest-url") is { } rest ? new Uri(rest) : null;
        o.WebSocketApiUrl = cl.String("ws-api-url") is { } ws ? new Uri(ws) : null;
        o.StreamBaseUrl = cl.String("stream-url") is { } streams ? new Uri(streams) : null;
    }

    /// <summary>
    /// The Binance keys required by <paramref name="command"/>: the API key from <see cref="ApiKeyVariable"/>, and either the
    /// HMAC secret from <see cref="SecretKeyVariable"/> or an Ed25519/RSA PEM file named by
    /// <see cref="BinanceExchangeOptions.PrivateKeyFileVariable"/> (then the secret is null).
    /// </summary>
    internal static (string ApiKey, string? SecretKey) Keys(string command)
    {
        var apiKey = Environment.GetEnvironmentVariable(ApiKeyVariable);
        var secretKey = Environment.GetEnvironmentVariable(SecretKeyVariable);
        var privateKeyFile = Environment.GetEnvironmentVariable(BinanceExchangeOptions.PrivateKeyFileVariable);
        if (string.IsNullOrWhiteSpace(apiKey) || (string.IsNullOrWhiteSpace(secretKey) && string.IsNullOrWhiteSpace(privateKeyFile)))
        {
            throw new UsageException($"{command} needs the keys in the environment variables {ApiKeyVariable} and {SecretKeyVariable} (or {BinanceExchangeOptions.PrivateKeyFileVariable} for an Ed25519 or RSA key).");
        }

        return (apiKey, string.IsNullOrWhiteSpace(secretKey) ? null : secretKey);
    }

    /// <summary><c>--symbol A,B,C</c>: the same settings for each symbol, each named once.</summary>
    internal static IReadOnlyList<SymbolSettings> SymbolSettings(CommandLine cl)
    {
        var text = cl.String("symbol") ?? throw new UsageException("--symbol is required, e.g. --symbol XRPUSDT or --symbol XRPUSDT,BTCUSDT.");
        var names = text.Split(',', StringSplitOptions.TrimEntries).Select(s => s.ToUpperInvariant()).ToArray();
        if (names.Any(n => n.Length == 0) || names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new UsageException($"--symbol '{text}' must name each symbol once, separated by commas.");
        }

        return [.. names.Select(name => SettingsGrid.Parse(cl, name) is [var one] ? one : throw new UsageException("give one value per setting."))];
    }
}
