using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Binance.Tests;

/// <summary>Combined market streams against the sandbox, which enforces Binance's stream limits.</summary>
public sealed class MarketStreamsTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static async Task<BinanceSandboxServer> StartAsync(int symbols)
    {
        var options = new SandboxOptions { Port = 0 };
        options.ApiKeys.Add(new SandboxApiKey("k", "s"));
        for (var i = 0; i < symbols; i++)
        {
            options.Symbols.Add(SymbolFilterPresets.XrpUsdt with { Symbol = Name(i) });
        }

        var server = new BinanceSandboxServer(options);
        await server.StartAsync();
        return server;
    }

    private static string Name(int i) => i == 0 ? "XRPUSDT" : $"S{i}USDT";

    private static BinanceMarketData Market(BinanceSandboxServer server, int perConnection = 200) =>
        new(Options.Create(new BinanceMarketDataOptions { StreamBaseUrl = new Uri(server.StreamBaseUrl), StreamsPerConnection = perConnection }));

    [Fact]
    public async Task MarketTrades_1500Symbols_TwoConnectionsNoLimitBrokenEveryTradeDelivered()
    {
        const int Symbols = 1_500;
        await using var server = await StartAsync(Symbols);
        await using var market = Market(server, perConnection: 1_024);
        var received = new ConcurrentDictionary<string, TradeEvent>(StringComparer.Ordinal);
        var subscriptions = Enumerable.Range(0, Symbols).Select(i => market.MarketTrades(Name(i)).Subscribe(t => received.TryAdd(t.Symbol, t))).ToArray();

        var round = 0;
        void PublishMissing()
        {
            round++;
            foreach (var i in Enumerable.Range(0, Symbols).Where(i => !received.ContainsKey(Name(i))))
            {
                server.PublishTrade(new TradeEvent(Name(i), round, 0.5m, 10m, T0));
            }
        }

        PublishMissing();
        await Wait.TryUntilAsync(() => received.Count >= Symbols, TimeSpan.FromSeconds(20), every: TimeSpan.FromMilliseconds(200), betweenChecks: PublishMissing);

        received.Should().HaveCount(Symbols);
        received.Should().OnlyContain(p => p.Value.Symbol == p.Key && p.Value.Price == 0.5m);
        market.Connections.Should().Be(2);
        server.ConnectionsAccepted(SandboxSocketKinds.MarketStreams).Should().Be(2, "a connection cut for breaking a limit would have been opened again");
        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }
    }

    [Fact]
    public async Task MarketTrades_SymbolsAddedAndLeftAtRunTime_OtherStreamsNotReconnected()
    {
        await using var server = await StartAsync(4);
        await using var market = Market(server);
        var received = new ConcurrentQueue<TradeEvent>();
        var first = market.MarketTrades(Name(0)).Subscribe(received.Enqueue);
        await ArrivesAsync(server, received, Name(0), 1);

        using var second = market.MarketTrades(Name(1)).Subscribe(received.Enqueue);
        await ArrivesAsync(server, received, Name(1), 2);
        first.Dispose();
        using var third = market.MarketTrades(Name(2)).Subscribe(received.Enqueue);
        await ArrivesAsync(server, received, Name(2), 3);
        // The UNSUBSCRIBE of the first went out with or before the third's SUBSCRIBE: a fourth's SUBSCRIBE goes out after
        // it on the same connection, so once the fourth's trades arrive the first's UNSUBSCRIBE has been handled.
        using var fourth = market.MarketTrades(Name(3)).Subscribe(received.Enqueue);
        await ArrivesAsync(server, received, Name(3), 4);
        var before = received.Count(t => t.Symbol == Name(0));
        server.PublishTrade(new TradeEvent(Name(0), 99, 0.5m, 1m, T0));
        await ArrivesAsync(server, received, Name(1), 100);

        received.Count(t => t.Symbol == Name(0)).Should().Be(before, "a symbol left is unsubscribed");
        server.ConnectionsAccepted(SandboxSocketKinds.MarketStreams).Should().Be(1);
    }

    [Fact]
    public async Task MarketTrades_ServerShutdown_NewConnectionBeforeTheOldClosesNoTradeLostOrDoubled()
    {
        await using var server = await StartAsync(1);
        await using var market = Market(server);
        var received = new ConcurrentQueue<TradeEvent>();
        using var subscription = market.MarketTrades(Name(0)).Subscribe(received.Enqueue);
        await ArrivesAsync(server, received, Name(0), 1);

        long id = 1;
        using var publishing = new CancellationTokenSource();
        var publisher = Task.Run(async () =>
        {
            // A steady flow of trades through the handover: one every 5 ms.
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
            while (!publishing.IsCancellationRequested)
            {
                server.PublishTrade(new TradeEvent(Name(0), Interlocked.Increment(ref id), 0.5m, 1m, T0));
                await pace.WaitForNextTickAsync();
            }
        });
        await Wait.UntilAsync(() => received.Count > 20, "trades flowing");
        server.SendServerShutdown(SandboxSocketKinds.MarketStreams, TimeSpan.FromSeconds(1)).Should().Be(1);
        await Wait.TryUntilAsync(() => server.ConnectionsAccepted(SandboxSocketKinds.MarketStreams) == 2 && market.Connections == 1, TimeSpan.FromSeconds(10));
        await publishing.CancelAsync();
        await publisher;
        await Wait.TryUntilAsync(() => received.Any(t => t.TradeId == Interlocked.Read(ref id)), TimeSpan.FromSeconds(5));

        // Trade 1 may have been published more than once while the subscription was starting.
        received.Select(t => t.TradeId).SkipWhile(t => t == 1).Should().Equal(Enumerable.Range(2, (int)id - 1).Select(i => (long)i), "every trade once, in order");
        server.ConnectionsAccepted(SandboxSocketKinds.MarketStreams).Should().Be(2);
        market.Connections.Should().Be(1, "the old connection closed once the new one carried the stream");
    }

    [Fact]
    public async Task MarketTrades_ServerClosesBeforeTheHandoverEnds_OldConnectionNotReopened()
    {
        await using var server = await StartAsync(1);
        await using var market = Market(server);
        var received = new ConcurrentQueue<TradeEvent>();
        using var subscription = market.MarketTrades(Name(0)).Subscribe(received.Enqueue);
        await ArrivesAsync(server, received, Name(0), 1);

        // Closed 100 ms after the notice: the old connection drops long before its successor's grace second ends.
        server.SendServerShutdown(SandboxSocketKinds.MarketStreams, TimeSpan.FromMilliseconds(100)).Should().Be(1);
        await Wait.UntilAsync(() => market.Connections == 1 && server.ConnectionsAccepted(SandboxSocketKinds.MarketStreams) == 2, "the successor alone");
        await ArrivesAsync(server, received, Name(0), 2);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        server.ConnectionsAccepted(SandboxSocketKinds.MarketStreams).Should().Be(2, "a connection handed over is not reopened when the server drops it");
        market.Connections.Should().Be(1);
        await ArrivesAsync(server, received, Name(0), 3);
    }

    private static async Task ArrivesAsync(BinanceSandboxServer server, ConcurrentQueue<TradeEvent> received, string symbol, long id)
    {
        server.PublishTrade(new TradeEvent(symbol, id, 0.5m, 1m, T0));
        await Wait.UntilAsync(() => received.Any(t => t.Symbol == symbol && t.TradeId == id), $"{symbol} trade {id}", TimeSpan.FromSeconds(5), every: TimeSpan.FromMilliseconds(50), betweenChecks: () => server.PublishTrade(new TradeEvent(symbol, id, 0.5m, 1m, T0)));
    }
}
