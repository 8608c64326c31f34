using FluentAssertions;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Binance;
using NaiveStrategy.Binance.Sandbox;

namespace NaiveStrategy.Tests.Shared;

/// <summary>
/// The checks of the crash and failover harnesses, on the exchange's own records (the sandbox's orders) against what
/// the strategy saved. A client order id is <c>{trader}-b</c>, <c>{trader}-b2</c>… (a stale BUY placed again) or <c>{trader}-s</c>.
/// </summary>
internal static class OrderAudit
{
    /// <summary>
    /// The same client order id sent twice, or a trader whose BUY or SELL was sent again under another id: a trader sells
    /// once in its life, and buys again only after its previous BUY was canceled with nothing executed (a stale BUY
    /// placed again). <paramref name="orders"/> are in placement order, as the sandbox lists them.
    /// </summary>
    public static int Duplicates(IReadOnlyList<OrderUpdate> orders) =>
        orders.GroupBy(o => o.ClientOrderId, StringComparer.Ordinal).Sum(g => g.Count() - 1)
        + orders.GroupBy(o => (Trader: TraderOf(o.ClientOrderId), o.Side)).Sum(g => g.Zip(g.Skip(1)).Count(pair => pair.First.ClientOrderId != pair.Second.ClientOrderId
            && (pair.First.Side == OrderSide.Sell || pair.First.Status != OrderStatus.Canceled || pair.First.ExecutedQuantity > 0)));

    /// <summary>An order on the exchange whose intent the journal does not hold.</summary>
    public static int Unknown(IReadOnlyList<OrderUpdate> orders, IReadOnlySet<string> journal) => orders.Count(o => !journal.Contains(o.ClientOrderId));

    /// <summary>An open order on the exchange that no saved trader holds: nobody would ever manage it.</summary>
    public static int Orphans(IReadOnlyList<OrderUpdate> orders, IReadOnlyCollection<TraderSnapshot> saved) =>
        orders.Count(o => IsOpen(o) && !saved.Any(t => t.BuyOrder?.ClientOrderId == o.ClientOrderId || t.SellOrder?.ClientOrderId == o.ClientOrderId));

    /// <summary>A filled BUY whose trader never sent its SELL.</summary>
    public static int Lost(IReadOnlyList<OrderUpdate> orders)
    {
        var selling = orders.Where(o => o.Side == OrderSide.Sell).Select(o => TraderOf(o.ClientOrderId)).ToHashSet(StringComparer.Ordinal);
        return orders.Count(o => o.Side == OrderSide.Buy && o.ExecutedQuantity > 0 && !selling.Contains(TraderOf(o.ClientOrderId)));
    }

    /// <summary>Traders with an open order on the exchange, per symbol at most.</summary>
    public static int MaxOpenTradersPerSymbol(IReadOnlyList<OrderUpdate> orders) =>
        orders.Where(IsOpen).GroupBy(o => o.Symbol, StringComparer.Ordinal).Select(g => g.Select(o => TraderOf(o.ClientOrderId)).Distinct(StringComparer.Ordinal).Count()).DefaultIfEmpty(0).Max();

    public static bool IsOpen(OrderUpdate o) => o.Status is OrderStatus.New or OrderStatus.PartiallyFilled;

    public static string TraderOf(string clientOrderId) => clientOrderId[..clientOrderId.LastIndexOf('-')];
}

/// <summary>
/// A market per symbol for the harnesses: a triangle wave of period 1.2 s (1.2 % peak to peak at first) whose peaks
/// rise 0.25 % and troughs fall 0.15 % a period, so every resting order fills at last. A BUY (at most 0.1 % under a
/// price seen) fills at a later trough; a SELL (at most about 0.2 % over a price seen) at a later peak. Symbols are out
/// of phase, so placements and fills of different symbols interleave.
/// </summary>
internal static class OscillatingMarket
{
    public static async Task FeedAsync(BinanceSandboxServer server, IReadOnlyList<string> symbols, TimeSpan interval, CancellationToken stop)
    {
        const double Period = 1200;
        long id = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var pace = new PeriodicTimer(interval); // a market of one trade per symbol every interval
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < symbols.Count; i++)
            {
                var periods = (clock.ElapsedMilliseconds / Period) + ((double)i / symbols.Count);
                var high = 0.503 * Math.Pow(1.0025, periods);
                var low = 0.497 * Math.Pow(0.9985, periods);
                var phase = periods % 1;
                var up = phase < 0.5 ? 1 - (2 * phase) : (2 * phase) - 1; // 1 at a peak, 0 at a trough
                var price = Math.Round((decimal)(low + ((high - low) * up)), 4);
                server.PublishTrade(new TradeEvent(symbols[i], ++id, price, 1_000m, DateTimeOffset.UtcNow));
            }

            await pace.WaitForNextTickAsync(CancellationToken.None);
        }
    }
}

/// <summary>
/// The sandbox's own log of accepted orders (its event 4, "Order {OrderId} placed for {Symbol} ({ClientOrderId})"):
/// the moment the exchange holds an order whose answer may still be on its way to the strategy.
/// </summary>
internal sealed class SandboxPlacements : ILoggerProvider, ILogger
{
    private readonly Lock _gate = new();
    private (Func<string, bool> Wanted, TaskCompletionSource<string> Accepted)? _waiting;

    /// <summary>The client order id of the next order the sandbox accepts for a symbol <paramref name="wanted"/> says yes to.</summary>
    public Task<string> NextAsync(Func<string, bool> wanted)
    {
        var accepted = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiting = (wanted, accepted);
        }

        return accepted.Task;
    }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    /// <summary>Whether a log entry of the sandbox is its event 4, an accepted order, and which.</summary>
    public static bool IsPlacement<TState>(EventId eventId, TState state, out string symbol, out string clientOrderId)
    {
        (symbol, clientOrderId) = ("", "");
        if (eventId.Id != 4 || state is not IReadOnlyList<KeyValuePair<string, object?>> fields
            || fields.FirstOrDefault(f => f.Key == "Symbol").Value is not string s
            || fields.FirstOrDefault(f => f.Key == "ClientOrderId").Value is not string c)
        {
            return false;
        }

        (symbol, clientOrderId) = (s, c);
        return true;
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsPlacement(eventId, state, out var symbol, out var clientOrderId))
        {
            return;
        }

        lock (_gate)
        {
            if (_waiting is { } waiting && waiting.Wanted(symbol))
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

/// <summary>The sandbox of the cluster harnesses: one server listing many symbols (each like XRPUSDT), a key, a deep USDT balance, its placements watched.</summary>
internal sealed class SymbolsSandbox : IAsyncDisposable
{
    private readonly ILoggerFactory _logs;

    private SymbolsSandbox(BinanceSandboxServer server, SandboxPlacements placements, ILoggerFactory logs) => (Server, Placements, _logs) = (server, placements, logs);

    public BinanceSandboxServer Server { get; }

    public SandboxPlacements Placements { get; }

    public static async Task<SymbolsSandbox> StartAsync(IEnumerable<string> symbols, string apiKey, string secretKey)
    {
        var options = new SandboxOptions { Port = 0 };
        options.ApiKeys.Add(new SandboxApiKey(apiKey, secretKey));
        options.Balances["USDT"] = 1_000_000m;
        foreach (var symbol in symbols)
        {
            options.Symbols.Add(SymbolFilterPresets.XrpUsdt with { Symbol = symbol, BaseAsset = symbol[..3] });
        }

        var placements = new SandboxPlacements();
        var logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(placements));
        var server = new BinanceSandboxServer(options, logs);
        await server.StartAsync();
        return new SymbolsSandbox(server, placements, logs);
    }

    /// <summary>
    /// The market has stopped: waits (30 s at most) until every filled BUY has its SELL, then (10 s at most) until the
    /// exchange's orders have stayed the same over ten checks 200 ms apart: the answers in flight have landed.
    /// </summary>
    public async Task SettleAsync()
    {
        await ClusterChecks.UntilAsync("every filled BUY has its SELL", () => OrderAudit.Lost(Server.Exchange.Orders) == 0, TimeSpan.FromSeconds(30), throwOnTimeout: false);
        var last = "";
        var same = 0;
        await Wait.TryUntilAsync(
            () =>
            {
                var now = string.Join(';', Server.Exchange.Orders.Select(o => $"{o.ClientOrderId}:{o.Status}:{o.ExecutedQuantity}"));
                same = now == last ? same + 1 : 0;
                last = now;
                return same >= 10;
            },
            TimeSpan.FromSeconds(10),
            every: TimeSpan.FromMilliseconds(200));
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _logs.Dispose();
    }
}

/// <summary>The exchange's orders checked against what the Leaders saved: the figures the harnesses print, and the checks.</summary>
internal sealed record AuditResult(int Orders, int Duplicates, int Unknown, int Lost, int Orphans, int MaxOpenTraders, int MaxSavedTraders)
{
    public static AuditResult Of(IReadOnlyList<OrderUpdate> orders, IReadOnlySet<string> journal, IReadOnlyCollection<IReadOnlyCollection<TraderSnapshot>> savedBySymbol)
    {
        var saved = savedBySymbol.SelectMany(t => t).ToList();
        return new(orders.Count, OrderAudit.Duplicates(orders), OrderAudit.Unknown(orders, journal), OrderAudit.Lost(orders), OrderAudit.Orphans(orders, saved), OrderAudit.MaxOpenTradersPerSymbol(orders), savedBySymbol.Select(t => t.Count).DefaultIfEmpty(0).Max());
    }

    /// <summary><c>orders N, duplicates N, unknown N, lost N</c>.</summary>
    public string Figures => $"orders {Orders}, duplicates {Duplicates}, unknown {Unknown}, lost {Lost}";

    public void ShouldBeClean(int chunks)
    {
        Duplicates.Should().Be(0, "no intent is sent twice");
        Unknown.Should().Be(0, "every exchange order is in a journal");
        Lost.Should().Be(0, "every filled BUY has its SELL");
        Orphans.Should().Be(0, "every open order on the exchange is held by a saved trader");
        MaxOpenTraders.Should().BeLessThanOrEqualTo(chunks);
        MaxSavedTraders.Should().BeLessThanOrEqualTo(chunks);
    }
}
