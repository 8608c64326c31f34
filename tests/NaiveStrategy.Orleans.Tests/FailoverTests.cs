using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Binance.Sandbox;
using Orleans.Serialization;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace NaiveStrategy.Orleans.Tests;

/// <summary>
/// Three silos in one process trade twenty symbols against one Binance-compatible sandbox; one silo is killed the
/// moment the sandbox accepts an order of a symbol it hosts (the acknowledgement not yet back). Every symbol must come
/// back on a silo that is up and trade on; then the exchange's own records are checked against grain storage: no
/// intent sent twice, no exchange order the journal does not know, no filled BUY without its SELL, no open order
/// without a saved trader, never more traders than chunks.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper log)
{
    private const int SymbolCount = 20;
    private const int Chunks = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Cluster_SiloKilledWhileOrdersInFlight_EverySymbolResumesNothingSentTwiceUnknownOrLost()
    {
        var symbols = Enumerable.Range(1, SymbolCount).Select(i => $"S{i:00}USDT").ToArray();
        var options = new SandboxOptions { Port = 0 };
        options.ApiKeys.Add(new SandboxApiKey(TestEnvironment.ApiKey, TestEnvironment.SecretKey));
        options.Balances["USDT"] = 1_000_000m;
        foreach (var symbol in symbols)
        {
            options.Symbols.Add(SymbolFilterPresets.XrpUsdt with { Symbol = symbol, BaseAsset = symbol[..3] });
        }

        var placements = new Placements();
        using var sandboxLogs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(placements));
        await using var server = new BinanceSandboxServer(options, sandboxLogs);
        await server.StartAsync();
        var settings = symbols.Select(s => new SymbolSettings { Symbol = s, Chunks = Chunks, Budget = 60m, BuyDownInterval = 0.001m, ProfitInterval = 0.001m, RebuyInterval = 0.002m, MaxBuyDistance = 0.01m }).ToArray();
        var environment = new TestEnvironment(server.RestBaseUrl, server.WebSocketApiUrl, server.StreamBaseUrl, new SharedGrainStorage.Table(), settings);
        await using var cluster = TestEnvironment.Build(environment, silos: 3);
        await cluster.DeployAsync();
        await cluster.WaitForLivenessToStabilizeAsync(); // all three silos are members before a Leader is placed
        await WhereAsync(cluster, symbols); // activates every Leader, spread over the three silos
        using var stopMarket = new CancellationTokenSource();
        var market = Task.Run(() => FeedAsync(server, symbols, stopMarket.Token));
        try
        {
            // Every symbol trades somewhere in the cluster.
            await UntilAsync("every symbol placed an order", () => symbols.All(s => server.Exchange.Orders.Any(o => o.Symbol == s)));
            var where = await WhereAsync(cluster, symbols);
            var victim = cluster.SecondarySilos.MaxBy(silo => where.Values.Count(w => w == silo.SiloAddress.ToString()))!;
            var onVictim = symbols.Where(s => where[s] == victim.SiloAddress.ToString()).ToHashSet(StringComparer.Ordinal);
            onVictim.Should().NotBeEmpty("Orleans spreads the Leaders over the silos");

            // Killed while an order is in flight: the sandbox has just accepted it, the silo has not heard back.
            var victimEngines = ((InProcessSiloHandle)victim).SiloHost.Services.GetRequiredService<SymbolEngines>();
            victimEngines.Count.Should().Be(onVictim.Count);
            var accepted = placements.Next(onVictim);
            var inFlight = await accepted.WaitAsync(Patience);
            await cluster.KillSiloAsync(victim);
            log.WriteLine($"killed {victim.SiloAddress} right after the sandbox accepted {inFlight}; it hosted {onVictim.Count} symbols");

            var ordersAtKill = server.Exchange.Orders.Select(o => o.ClientOrderId).ToHashSet(StringComparer.Ordinal);
            victimEngines.Count.Should().Be(0, "a lost silo's engines stop with it");

            // Every symbol of the lost silo comes back on another one and trades on.
            await UntilAsync("every symbol hosted on a silo that is up", async () =>
            {
                var now = await WhereAsync(cluster, symbols);
                return now.Values.All(silo => silo != victim.SiloAddress.ToString());
            });

            // Every symbol of the lost silo is back on a silo that is up, ready, its orders reconciled with the
            // exchange's; together they trade on.
            async Task<bool> ResumedAsync(string symbol)
            {
                var status = await cluster.Client.GetSymbolLeader(symbol).GetStatusAsync();
                var open = server.Exchange.Orders.Where(o => o.Symbol == symbol && o.Status is OrderStatus.New or OrderStatus.PartiallyFilled).Select(o => o.ClientOrderId).ToHashSet(StringComparer.Ordinal);
                var held = status.Traders.SelectMany(t => new[] { t.BuyOrder, t.SellOrder }).Where(o => o?.Status is OrderStatus.New or OrderStatus.PartiallyFilled).Select(o => o!.ClientOrderId);
                return status.Ready && status.Silo != victim.SiloAddress.ToString() && open.SetEquals(held);
            }

            try
            {
                await UntilAsync("every symbol of the lost silo ready on another silo, its orders reconciled", async () => (await Task.WhenAll(onVictim.Select(ResumedAsync))).All(r => r));
                await UntilAsync("the symbols of the lost silo trade on", () => server.Exchange.Orders.Count(o => onVictim.Contains(o.Symbol) && !ordersAtKill.Contains(o.ClientOrderId)) >= onVictim.Count);
            }
            catch (TimeoutException)
            {
                foreach (var symbol in onVictim)
                {
                    var status = await cluster.Client.GetSymbolLeader(symbol).GetStatusAsync();
                    log.WriteLine($"{symbol} on {status.Silo}: {status.Status}, ready {status.Ready}, store error {status.StoreError ?? "none"}; traders: "
                        + string.Join("; ", status.Traders.Select(t => $"{t.TraderId} buy {t.BuyOrder?.ClientOrderId} {t.BuyOrder?.Status} {t.BuyOrder?.Price} sell {t.SellOrder?.ClientOrderId} {t.SellOrder?.Status} {t.SellOrder?.Price}")));
                    log.WriteLine("  on the exchange: " + string.Join("; ", server.Exchange.Orders.Where(o => o.Symbol == symbol).Select(o => $"{o.ClientOrderId} {o.Side} {o.Price} {o.Status} {o.ExecutedQuantity}")));
                }

                throw;
            }

            // The market stops; what is in flight settles.
            await stopMarket.CancelAsync();
            await market;
            await UntilAsync("every filled BUY has its SELL", () => Lost(server.Exchange.Orders) == 0, TimeSpan.FromSeconds(30), throwOnTimeout: false);
            await Task.Delay(TimeSpan.FromSeconds(2));

            var orders = server.Exchange.Orders;
            var serializer = cluster.ServiceProvider.GetRequiredService<Serializer>();
            var saved = symbols.ToDictionary(s => s, s => environment.Table.Read<SymbolGrainState>(serializer, "naive-leader", cluster.Client.GetSymbolLeader(s).GetGrainId())!, StringComparer.Ordinal);
            var journal = saved.Values.SelectMany(s => s.Intents).Select(i => i.Request.ClientOrderId).ToHashSet(StringComparer.Ordinal);
            var traders = saved.Values.SelectMany(s => s.Symbol!.Traders).ToList();

            var duplicates = orders.GroupBy(o => o.ClientOrderId).Sum(g => g.Count() - 1) + orders.Where(o => o.Side == OrderSide.Sell).GroupBy(TraderOf).Sum(g => g.Count() - 1);
            var unknown = orders.Count(o => !journal.Contains(o.ClientOrderId));
            var lost = Lost(orders);
            var orphans = orders.Count(o => o.Status is OrderStatus.New or OrderStatus.PartiallyFilled && !traders.Any(t => t.BuyOrder?.ClientOrderId == o.ClientOrderId || t.SellOrder?.ClientOrderId == o.ClientOrderId));
            var line = $"orleans failover: silos 3, killed 1, symbols {SymbolCount}, orders {orders.Count}, duplicates {duplicates}, unknown {unknown}, lost {lost}";
            log.WriteLine(line);
            Console.WriteLine(line);

            duplicates.Should().Be(0);
            unknown.Should().Be(0);
            lost.Should().Be(0);
            orphans.Should().Be(0, "every open order on the exchange is held by a saved trader");
            saved.Values.Should().OnlyContain(s => s.Symbol!.Traders.Count <= Chunks);
            orders.GroupBy(o => o.Symbol).Should().OnlyContain(g => g.Count(o => o.Status == OrderStatus.New) <= Chunks);
            orders.Count.Should().BeGreaterThan(ordersAtKill.Count);
        }
        finally
        {
            await stopMarket.CancelAsync();
            await market;
        }
    }

    // A filled BUY whose trader never sent its SELL.
    private static int Lost(IReadOnlyList<OrderUpdate> orders) =>
        orders.Count(o => o.Side == OrderSide.Buy && o.ExecutedQuantity > 0 && !orders.Any(s => s.Side == OrderSide.Sell && TraderOf(s) == TraderOf(o)));

    // "{trader}-b", "{trader}-b2" (a stale BUY placed again), "{trader}-s".
    private static string TraderOf(OrderUpdate order) => order.ClientOrderId[..order.ClientOrderId.LastIndexOf('-')];

    private static async Task<Dictionary<string, string>> WhereAsync(TestCluster cluster, IEnumerable<string> symbols)
    {
        var statuses = await Task.WhenAll(symbols.Select(s => cluster.Client.GetSymbolLeader(s).GetStatusAsync()));
        return statuses.ToDictionary(s => s.Symbol, s => s.Silo, StringComparer.Ordinal);
    }

    // A market that keeps swinging between 0.4950 and 0.5050 (each symbol a little out of phase), with one trade at
    // 0.4900 at the bottom and one at 0.5100 at the top of every swing after the first: BUYs and SELLs keep filling.
    // A trader that took the dip for its price has its BUY placed again under the market (MaxBuyDistance); one that
    // took the spike may hold its SELL for good, so the test asks every moved symbol to be ready and reconciled, and
    // the moved symbols together to trade on.
    private static async Task FeedAsync(BinanceSandboxServer server, string[] symbols, CancellationToken stop)
    {
        const decimal Low = 0.4950m;
        const decimal Step = 0.0005m;
        const int Steps = 20;
        long id = 0;
        for (var tick = 0L; !stop.IsCancellationRequested; tick++)
        {
            for (var i = 0; i < symbols.Length; i++)
            {
                var position = (tick + (i * 3)) % (2 * Steps);
                var price = (position, tick < 2 * Steps) switch
                {
                    (0, false) => 0.4900m,
                    (Steps, false) => 0.5100m,
                    _ => Low + (Step * (position < Steps ? position : (2 * Steps) - position)),
                };
                server.PublishTrade(new TradeEvent(symbols[i], ++id, price, 1_000m, DateTimeOffset.UtcNow));
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    private static Task UntilAsync(string what, Func<bool> condition, TimeSpan? patience = null, bool throwOnTimeout = true) =>
        UntilAsync(what, () => Task.FromResult(condition()), patience, throwOnTimeout);

    private static async Task UntilAsync(string what, Func<Task<bool>> condition, TimeSpan? patience = null, bool throwOnTimeout = true)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception) when (clock.Elapsed < (patience ?? Patience))
            {
                // A Leader being moved does not answer yet.
            }

            if (clock.Elapsed > (patience ?? Patience))
            {
                if (throwOnTimeout)
                {
                    throw new TimeoutException($"Not within {patience ?? Patience}: {what}.");
                }

                return;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The sandbox's own log of accepted orders (event 4): an order the exchange holds and whose answer may still be on its way.</summary>
    private sealed class Placements : ILoggerProvider, ILogger
    {
        private readonly Lock _gate = new();
        private (ISet<string> Symbols, TaskCompletionSource<string> Accepted)? _waiting;

        public Task<string> Next(ISet<string> symbols)
        {
            var accepted = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _waiting = (symbols, accepted);
            }

            return accepted.Task;
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != 4 || state is not IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                return;
            }

            var symbol = fields.FirstOrDefault(f => f.Key == "Symbol").Value as string;
            var clientOrderId = fields.FirstOrDefault(f => f.Key == "ClientOrderId").Value as string;
            lock (_gate)
            {
                if (symbol is not null && clientOrderId is not null && _waiting is { } waiting && waiting.Symbols.Contains(symbol))
                {
                    _waiting = null;
                    waiting.Accepted.TrySetResult(clientOrderId);
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
