using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Sqlite;
using NaiveStrategy.Tests.Shared;
using Xunit.Abstractions;

namespace NaiveStrategy.Cli.Tests;

/// <summary>
/// Runs the sample's <c>live</c> as a separate process against the Binance-compatible sandbox on a market
/// that keeps oscillating (so trade cycles complete), kills it with SIGKILL and restarts it on the same
/// state file, again and again. Kills are aimed: the moment the exchange accepts an order the process sent
/// (its intent is durable, its acknowledgement not yet applied — checked in the state file afterwards), the
/// moment an order fills, or at a random time. Then one undisturbed run settles, and the exchange's own
/// records are checked: no intent sent twice, no exchange order unknown to the state file, no open order
/// without a saved trader, never more open traders than chunks, every filled BUY has its SELL, and PnL from
/// the journal equals PnL from the exchange.
/// </summary>
public sealed class CrashHarnessTests(ITestOutputHelper log) : IDisposable
{
    private const string Key = "crash-key";
    private const string Secret = "crash-secret";
    private const string Symbol = "XRPUSDT";
    private const int Chunks = 3;
    private const int MinKills = 50;
    private const int MinInFlightKills = 20;
    private const int MinOrders = 200;
    private const int MaxKills = 200;
    // A bound on the kill phase: it ends as soon as the minimums are met (the orders, last, after about three
    // minutes on two idle cores); a loaded machine gets more time instead of a failure.
    private static readonly TimeSpan KillPhase = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LifeLimit = TimeSpan.FromSeconds(20);
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-crash-").FullName;

    private enum Aim
    {
        InFlight,
        Fill,
        Random,
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Live_KilledInFlightAndAtRandom_NothingSentTwiceUnknownOrphanedOrLost()
    {
        var minKills = int.TryParse(Environment.GetEnvironmentVariable("NAIVE_CRASH_KILLS"), out var k) ? k : MinKills;
        var random = new Random(20261125);
        var placements = new PlacementWatch();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(placements).SetMinimumLevel(LogLevel.Debug));
        var options = new SandboxOptions { Port = 0 };
        options.ApiKeys.Add(new SandboxApiKey(Key, Secret));
        options.Balances["USDT"] = 1_000_000m;
        await using var server = new BinanceSandboxServer(options, loggers);
        await server.StartAsync();
        ServerUrls = (server.RestBaseUrl, server.WebSocketApiUrl, server.StreamBaseUrl);
        var state = Path.Combine(_dir, "state.db");

        using var stopTrades = new CancellationTokenSource();
        var feeder = Task.Run(() => OscillatingMarket.FeedAsync(server, [Symbol], TimeSpan.FromMilliseconds(5), stopTrades.Token));
        var fills = new FillWatch();
        using var fillSubscription = server.Exchange.OrderUpdates.Subscribe(fills.OnUpdate);
        placements.Placed = () => OrderAudit.MaxOpenTradersPerSymbol(server.Exchange.Orders);

        int kills = 0, inFlightKills = 0, inFlightHits = 0, restarts = 0, maxOpenTraders = 0, timedOut = 0;
        var phase = Stopwatch.StartNew();
        while ((kills < minKills || inFlightKills < MinInFlightKills || server.Exchange.Orders.Count < MinOrders) && kills < MaxKills && phase.Elapsed < KillPhase)
        {
            var aim = random.Next(100) switch { < 55 => Aim.InFlight, < 75 => Aim.Fill, _ => Aim.Random };
            using var process = StartLive(state);
            restarts++;
            var nth = random.Next(1, 4);
            Task<string?> aimed = aim switch
            {
                Aim.InFlight => placements.KillAt(nth, process),
                Aim.Fill => fills.KillAt(nth, process),
                // Real time is the thing here: a kill at a random moment of the process's life, wherever it is.
                _ => Task.Delay(random.Next(300, 3000)).ContinueWith(_ => (string?)null, TaskScheduler.Default),
            };
            string? hit;
            try
            {
                hit = await aimed.WaitAsync(LifeLimit);
            }
            catch (TimeoutException)
            {
                hit = null;
            }

            timedOut += aim != Aim.Random && hit is null ? 1 : 0;
            inFlightHits += aim == Aim.InFlight && hit is not null ? 1 : 0;
            placements.Disarm();
            fills.Disarm();
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            kills++;
            if (aim == Aim.InFlight && hit is not null && IntentDurableAckNotApplied(state, hit))
            {
                inFlightKills++;
            }

            maxOpenTraders = Math.Max(maxOpenTraders, OrderAudit.MaxOpenTradersPerSymbol(server.Exchange.Orders));
        }

        // A last, undisturbed run: the market stops once it runs, and it is given until its saved state
        // agrees with the exchange (every fill journaled, every filled BUY sold, every open order owned).
        using (var last = StartLive(state))
        {
            restarts++;
            await placements.NextAsync(LifeLimit);
            stopTrades.Cancel();
            await feeder;
            await Wait.TryUntilAsync(() => Settled(state, server.Exchange.Orders), TimeSpan.FromSeconds(60), every: TimeSpan.FromMilliseconds(200));

            last.Kill(entireProcessTree: true);
            await last.WaitForExitAsync();
        }

        var orders = server.Exchange.Orders;
        maxOpenTraders = Math.Max(maxOpenTraders, Math.Max(OrderAudit.MaxOpenTradersPerSymbol(orders), placements.MaxOpenTraders));
        using var store = SqliteStrategyStore.OpenReadOnly(state);
        var intents = store.ReadIntents().Select(i => i.Request.ClientOrderId).ToHashSet(StringComparer.Ordinal);
        var saved = store.Load().SelectMany(s => s.Traders).ToList();
        var journal = store.ReadOrderUpdates().GroupBy(u => u.ClientOrderId).ToDictionary(g => g.Key, g => g.MaxBy(u => u.ExecutedQuantity)!, StringComparer.Ordinal);
        var duplicates = OrderAudit.Duplicates(orders);
        var unknown = OrderAudit.Unknown(orders, intents);
        var orphans = OrderAudit.Orphans(orders, saved);
        var lost = OrderAudit.Lost(orders);
        var filled = orders.Count(o => o.ExecutedQuantity > 0);
        var exchangeCash = orders.Sum(Cash);
        var engineCash = orders.Sum(o => journal.TryGetValue(o.ClientOrderId, out var seen) ? Cash(seen) : 0m);
        var unseenFills = orders.Count(o => o.ExecutedQuantity > 0 && (!journal.TryGetValue(o.ClientOrderId, out var seen) || seen.ExecutedQuantity != o.ExecutedQuantity));

        log.WriteLine($"kill phase {phase.Elapsed.TotalSeconds:F0} s, in-flight kills {inFlightKills} of {inFlightHits} aimed at a placement, aimed kills that found nothing in {LifeLimit.TotalSeconds} s {timedOut}, max open traders {maxOpenTraders}, unseen fills {unseenFills}, PnL cash exchange {exchangeCash} engine {engineCash}");
        Console.WriteLine($"crash harness: kills {kills}, in-flight kills {inFlightKills}, restarts {restarts}, orders {orders.Count}, fills {filled}, duplicates {duplicates}, unknown {unknown}, orphans {orphans}, lost {lost}");

        kills.Should().BeGreaterThanOrEqualTo(minKills);
        inFlightKills.Should().BeGreaterThanOrEqualTo(MinInFlightKills, "kills must land after an intent is durable and before its acknowledgement is applied");
        orders.Count.Should().BeGreaterThanOrEqualTo(MinOrders, "the market must keep the traders busy");
        duplicates.Should().Be(0);
        unknown.Should().Be(0);
        orphans.Should().Be(0);
        lost.Should().Be(0);
        unseenFills.Should().Be(0, "after the last run the engine has seen every fill the exchange made");
        maxOpenTraders.Should().BeLessThanOrEqualTo(Chunks);
        engineCash.Should().Be(exchangeCash, "PnL from the engine's journal equals PnL from the exchange's records");
    }

    private static decimal Cash(OrderUpdate o) => (o.Side == OrderSide.Sell ? 1 : -1) * o.ExecutedQuantity * o.Price;

    // The kill landed in flight: the intent was saved before sending, and no answer or update about the
    // order reached the journal.
    private static bool IntentDurableAckNotApplied(string state, string clientOrderId)
    {
        using var store = SqliteStrategyStore.OpenReadOnly(state);
        return store.ReadIntents().Any(i => i.Request.ClientOrderId == clientOrderId)
            && !store.ReadOrderUpdates().Any(u => u.ClientOrderId == clientOrderId);
    }

    private static bool Settled(string state, IReadOnlyList<OrderUpdate> orders)
    {
        using var store = SqliteStrategyStore.OpenReadOnly(state);
        var seen = store.ReadOrderUpdates().GroupBy(u => u.ClientOrderId).ToDictionary(g => g.Key, g => g.Max(u => u.ExecutedQuantity), StringComparer.Ordinal);
        var saved = store.Load().SelectMany(s => s.Traders).ToList();
        return orders.All(o => o.ExecutedQuantity == 0 || (seen.TryGetValue(o.ClientOrderId, out var executed) && executed == o.ExecutedQuantity))
            && OrderAudit.Lost(orders) == 0
            && OrderAudit.Orphans(orders, saved) == 0;
    }

    private Process StartLive(string state)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NaiveStrategy.Cli.dll"));
        foreach (var arg in new[] { "live", "--symbol", Symbol, "--state", state, "--log-level", "Warning", "--chunks", Chunks.ToString(CultureInfo.InvariantCulture), "--budget", "60", "--buy-down", "0.001", "--profit", "0.001", "--rebuy", "0.002" })
        {
            info.ArgumentList.Add(arg);
        }

        var server = ServerUrls;
        info.ArgumentList.Add("--rest-url");
        info.ArgumentList.Add(server.RestUrl);
        info.ArgumentList.Add("--ws-api-url");
        info.ArgumentList.Add(server.WsApi);
        info.ArgumentList.Add("--stream-url");
        info.ArgumentList.Add(server.Streams);
        info.Environment["NAIVE_BINANCE_API_KEY"] = Key;
        info.Environment["NAIVE_BINANCE_SECRET_KEY"] = Secret;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase))
            {
                log.WriteLine(line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private (string RestUrl, string WsApi, string Streams) ServerUrls { get; set; }

    // Kills the armed process from inside the event, before the sandbox answers: no sleep in between.
    private abstract class KillWatch
    {
        private readonly Lock _gate = new();
        private Process? _victim;
        private int _remaining;
        private TaskCompletionSource<string?>? _killed;

        public Task<string?> KillAt(int nth, Process victim)
        {
            lock (_gate)
            {
                _victim = victim;
                _remaining = nth;
                _killed = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
                return _killed.Task;
            }
        }

        public void Disarm()
        {
            lock (_gate)
            {
                _victim = null;
                _killed?.TrySetResult(null);
            }
        }

        protected void Happened(string clientOrderId)
        {
            lock (_gate)
            {
                if (_victim is null || --_remaining > 0)
                {
                    return;
                }

                try
                {
                    _victim.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }

                _victim = null;
                _killed!.TrySetResult(clientOrderId);
            }
        }
    }

    // The sandbox logs every order it accepts (event 4, with the client order id), right after the order
    // exists and before the answer is written. Right then, the traders with an open order are counted.
    private sealed class PlacementWatch : KillWatch, ILoggerProvider, ILogger
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _maxOpenTraders;

        public Func<int>? Placed { get; set; }

        public int MaxOpenTraders => Volatile.Read(ref _maxOpenTraders);

        public async Task NextAsync(TimeSpan limit)
        {
            var next = Volatile.Read(ref _next).Task;
            await next.WaitAsync(limit).ContinueWith(static _ => { }, TaskScheduler.Default); // the next placement, or the limit
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (SandboxPlacements.IsPlacement(eventId, state, out _, out var clientOrderId))
            {
                Happened(clientOrderId);
                if (Placed?.Invoke() is { } open && open > Volatile.Read(ref _maxOpenTraders))
                {
                    Volatile.Write(ref _maxOpenTraders, open);
                }

                Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        }

        public void Dispose()
        {
        }
    }

    // Fills as the exchange makes them.
    private sealed class FillWatch : KillWatch
    {
        public void OnUpdate(OrderUpdate update)
        {
            if (update.ExecutedQuantity > 0)
            {
                Happened(update.ClientOrderId);
            }
        }
    }
}
