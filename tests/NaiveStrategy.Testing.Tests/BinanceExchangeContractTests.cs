using Microsoft.Extensions.Options;
using NaiveStrategy.Binance;
using NaiveStrategy.Binance.Sandbox;

namespace NaiveStrategy.Testing.Tests;

/// <summary>
/// <see cref="BinanceExchange"/> talking to the Binance-compatible sandbox (a fresh server on 127.0.0.1, port 0, per
/// test), with partial fills so orders fill in several trades.
/// </summary>
public sealed class BinanceExchangeUnderTest : ExchangeUnderTest
{
    public SandboxFixture Sandbox { get; } = new();

    public override SymbolFilters Filters => SymbolFilterPresets.XrpUsdt;

    public override decimal RestingBuyPrice => 0.5m;

    public override int? FilterFailureCode => -1013;

    public override int? InsufficientBalanceCode => -2010;

    // A bound, not a measure: the user data stream crosses a WebSocket, and a loaded CI machine may take
    // more than the in-process default to deliver an update.
    public override TimeSpan Patience => TimeSpan.FromSeconds(20);

    public override async Task<IExchange> CreateExchangeAsync() => await Sandbox.StartExchangeAsync();

    public override Task PublishTradeAsync(TradeEvent trade)
    {
        Sandbox.Server.PublishTrade(trade);
        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        await base.DisposeAsync();
    }
}

// The adapter contract against the Binance adapter and the sandbox: every area.

public sealed class BinanceExchangeFiltersContractTests : ExchangeFiltersContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new BinanceExchangeUnderTest();
}

public sealed class BinanceExchangeQueryContractTests : ExchangeQueryContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new BinanceExchangeUnderTest();
}

public sealed class BinanceExchangeFillContractTests : ExchangeFillContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new BinanceExchangeUnderTest();
}

public sealed class BinanceExchangeCancelContractTests : ExchangeCancelContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new BinanceExchangeUnderTest();
}

public sealed class BinanceExchangeAccountContractTests : ExchangeAccountContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new BinanceExchangeUnderTest();
}

public sealed class BinanceExchangePlacementContractTests : ExchangePlacementContractTests
{
    private readonly BinanceExchangeUnderTest _underTest = new();

    protected override ExchangeUnderTest CreateExchangeUnderTest() => _underTest;

    // The engine sends a request again with the same client order id after a "maybe placed" answer; when
    // the first one had landed, Binance rejects the second as a duplicate. The order that exists must
    // still be reconciled after a reconnection, or its fill while the stream was down is lost.
    [Fact]
    public async Task PlaceLimitOrderAsync_Duplicate_OriginalStillReconciledAfterReconnect()
    {
        var updates = new List<OrderUpdate>();
        using var subscription = Exchange.OrderUpdates.Subscribe(u => { lock (updates) { updates.Add(u); } });
        var request = Buy(RestingBuyPrice);
        Assert.True((await Exchange.PlaceLimitOrderAsync(request)).IsSuccess);
        await EventuallyAsync("the stream delivers the order New", () => Task.FromResult(Last(updates, request.ClientOrderId, OrderStatus.New)));
        Assert.Equal(ExchangeErrorKind.Duplicate, (await Exchange.PlaceLimitOrderAsync(request)).Error?.Kind);

        _underTest.Sandbox.Server.Faults.DropWebSockets(SandboxSocketKinds.WebSocketApi);
        await TradeAsync(request.Price - Filters.TickSize, request.Quantity); // fills while the stream is down

        var filled = await EventuallyAsync("the fill reaches the stream after the reconnection", () => Task.FromResult(Last(updates, request.ClientOrderId, OrderStatus.Filled)));
        Assert.Equal(request.Quantity, filled.ExecutedQuantity);
    }

    private static OrderUpdate? Last(List<OrderUpdate> updates, string clientOrderId, OrderStatus status)
    {
        lock (updates)
        {
            return updates.LastOrDefault(u => u.ClientOrderId == clientOrderId && u.Status == status);
        }
    }
}

/// <summary>The market data contract against <see cref="BinanceMarketData"/> (no keys) reading the sandbox's trade streams.</summary>
public sealed class BinanceMarketDataContractTests : MarketDataContractTests
{
    private readonly SandboxFixture _sandbox = new();

    protected override string Symbol => "XRPUSDT";

    protected override async Task<IMarketData> CreateMarketDataAsync()
    {
        await _sandbox.StartAsync();
        return new BinanceMarketData(Options.Create(new BinanceMarketDataOptions { StreamBaseUrl = new Uri(_sandbox.Server.StreamBaseUrl) }));
    }

    protected override Task PublishTradeAsync(TradeEvent trade)
    {
        _sandbox.Server.PublishTrade(trade);
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _sandbox.DisposeAsync();
    }
}

/// <summary>A sandbox server funded with 1 000 USDT, and <see cref="BinanceExchange"/> clients for it.</summary>
public sealed class SandboxFixture : IAsyncDisposable
{
    public const string Key = "contract-api-key";
    public const string Secret = "contract-secret-key-0123456789";

    private BinanceSandboxServer? _server;

    public BinanceSandboxServer Server => _server ?? throw new InvalidOperationException("The sandbox is not started.");

    public async Task StartAsync()
    {
        var options = new SandboxOptions { Port = 0, PingInterval = TimeSpan.FromSeconds(5), PartialFills = true };
        options.ApiKeys.Add(new SandboxApiKey(Key, Secret));
        options.Balances["USDT"] = 1_000m;
        _server = new BinanceSandboxServer(options);
        await _server.StartAsync();
    }

    public async Task<BinanceExchange> StartExchangeAsync()
    {
        await StartAsync();
        return CreateExchange();
    }

    public BinanceExchange CreateExchange() => new(new HttpClient(), Options.Create(new BinanceExchangeOptions
    {
        ApiKey = Key,
        SecretKey = Secret,
        RestBaseUrl = new Uri(Server.RestBaseUrl),
        WebSocketApiUrl = new Uri(Server.WebSocketApiUrl),
        StreamBaseUrl = new Uri(Server.StreamBaseUrl),
        RequestTimeout = TimeSpan.FromSeconds(5),
    }));

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
