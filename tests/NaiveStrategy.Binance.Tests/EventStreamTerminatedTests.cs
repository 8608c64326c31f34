using NaiveStrategy.Binance.Sandbox;

namespace NaiveStrategy.Binance.Tests;

// user-data-stream.md, "Event Stream Terminated": Binance may end a user data subscription while the connection stays
// open. The adapter subscribes again (and resyncs) instead of waiting, deaf, for the connection to drop.
public sealed class EventStreamTerminatedTests : IAsyncLifetime
{
    private const string Key = "test-api-key";
    private const string Secret = "test-secret-key-0123456789";
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly LogSignals _signals = new(); // 109: the user data stream is subscribed
    private BinanceSandboxServer _server = null!;
    private BinanceExchange _exchange = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxSetup.StartAsync(Key, Secret);
        _exchange = SandboxSetup.Exchange(_server, Key, Secret, o => o.RequestTimeout = TimeSpan.FromSeconds(5), _signals);
    }

    public async Task DisposeAsync()
    {
        await _exchange.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task OrderUpdates_SubscriptionTerminated_SubscribesAgainAndDeliversLaterFills()
    {
        var updates = new List<OrderUpdate>();
        using var subscription = _exchange.OrderUpdates.Subscribe(u => { lock (updates) { updates.Add(u); } });
        await _signals.WaitAsync(109);

        _server.EndUserDataSubscriptions().Should().Be(1);

        await _signals.WaitAsync(109, count: 2, patience: TimeSpan.FromSeconds(10));
        (await _exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "after-b", OrderSide.Buy, 0.5m, 40m))).IsSuccess.Should().BeTrue();
        _server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.49m, 1_000m, T0));
        await Wait.UntilAsync(() => { lock (updates) { return updates.Any(u => u.ClientOrderId == "after-b" && u.Status == OrderStatus.Filled); } }, "the fill after the new subscription", TimeSpan.FromSeconds(5));
    }
}
