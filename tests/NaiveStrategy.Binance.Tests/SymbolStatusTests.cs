using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Binance.Tests;

/// <summary>
/// A symbol's status (enums.md, "Symbol status") and the key's refusal, end to end against the sandbox: a symbol not
/// TRADING takes no new order and waits, with its reason, and resumes when Binance lists it TRADING again.
/// </summary>
public sealed class SymbolStatusTests : IAsyncLifetime
{
    private const string Key = "k";
    private const string Secret = "s";
    private BinanceSandboxServer _server = null!;

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions { Port = 0 };
        options.ApiKeys.Add(new SandboxApiKey(Key, Secret));
        options.Balances["USDT"] = 1_000m;
        _server = new BinanceSandboxServer(options);
        await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private BinanceExchange Exchange(string secret = Secret, TimeProvider? time = null) => new(new HttpClient(), Options.Create(new BinanceExchangeOptions
    {
        ApiKey = Key,
        SecretKey = secret,
        RestBaseUrl = new Uri(_server.RestBaseUrl),
        WebSocketApiUrl = new Uri(_server.WebSocketApiUrl),
        StreamBaseUrl = new Uri(_server.StreamBaseUrl),
    }), time)
    { ClosedRecheckEvery = TimeSpan.FromMilliseconds(100) };

    private static OrderRequest Buy(string id) => new("XRPUSDT", id, OrderSide.Buy, 0.5m, 40m);

    [Theory]
    [InlineData("HALT")]
    [InlineData("BREAK")]
    [InlineData("END_OF_DAY")]
    [InlineData("CANCEL_ONLY")]
    public async Task GetSymbolFiltersAsync_SymbolNotTrading_MarketClosedNamingItsStatus(string status)
    {
        _server.Faults.SetSymbolStatus("XRPUSDT", status);
        await using var exchange = Exchange();

        var filters = await exchange.GetSymbolFiltersAsync("XRPUSDT");

        filters.Error!.Kind.Should().Be(ExchangeErrorKind.MarketClosed);
        filters.Error.Message.Should().Contain($"XRPUSDT as {status}, not TRADING");
    }

    [Fact]
    public async Task PlaceLimitOrderAsync_SymbolTurnsCancelOnly_RefusedThenCancelTakenThenResumesWhenTrading()
    {
        // The adapter's clock is the test's: the status read as CANCEL_ONLY is kept until the recheck time is passed, not slept through.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var exchange = Exchange(time: time);
        (await exchange.PlaceLimitOrderAsync(Buy("s-1"))).IsSuccess.Should().BeTrue();
        _server.Faults.SetSymbolStatus("XRPUSDT", "CANCEL_ONLY");

        var refused = await exchange.PlaceLimitOrderAsync(Buy("s-2"));
        var held = await exchange.PlaceLimitOrderAsync(Buy("s-3"));
        var canceled = await exchange.CancelOrderAsync("XRPUSDT", "s-1");

        refused.Error.Should().Be(new ExchangeError(ExchangeErrorKind.MarketClosed, -2010, "Market is closed."), "the filters in hand said TRADING: Binance's answer");
        held.Error!.Kind.Should().Be(ExchangeErrorKind.MarketClosed);
        held.Error.Message.Should().Contain("CANCEL_ONLY", "the refusal made the adapter read the status again");
        _server.Exchange.Orders.Should().NotContain(o => o.ClientOrderId == "s-3", "nothing is sent while the symbol is not TRADING");
        canceled.Value.Status.Should().Be(OrderStatus.Canceled);

        _server.Faults.SetSymbolStatus("XRPUSDT", "TRADING");
        time.Advance(TimeSpan.FromMilliseconds(150));
        (await exchange.PlaceLimitOrderAsync(Buy("s-4"))).Value.Status.Should().Be(OrderStatus.New);
    }

    [Fact]
    public async Task Engine_SymbolHaltedAtStart_WaitsWithTheStatusInReadinessAndTradesOnceTrading()
    {
        _server.Faults.SetSymbolStatus("XRPUSDT", "HALT");
        await using var exchange = Exchange();
        var options = new NaiveStrategyOptions { RetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(200) };
        options.AddSymbol("XRPUSDT", s => s with { Chunks = 1, Budget = 100m });
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("h"), TimeProvider.System);

        _ = engine.StartWithRetriesAsync();
        await Until(() => engine.Readiness.Waiting.GetValueOrDefault("XRPUSDT")?.Contains("HALT", StringComparison.Ordinal) == true);
        engine.Readiness.ToString().Should().Contain("XRPUSDT as HALT, not TRADING");
        _server.Faults.SetSymbolStatus("XRPUSDT", "TRADING");

        await Until(() => engine.Readiness.Status == EngineReadinessStatus.Ready);
    }

    [Fact]
    public async Task GetSymbolFiltersAsync_WrongSecret_ApiKeyOrSignatureRejected()
    {
        await using var exchange = Exchange(secret: "not-the-secret");

        var filters = await exchange.GetSymbolFiltersAsync("XRPUSDT");

        filters.Error.Should().Be(new ExchangeError(ExchangeErrorKind.Rejected, -1022, "API key or signature rejected: Signature for this request is not valid."));
    }

    [Fact]
    public async Task Engine_WrongSecret_ReadinessNamesTheKeyOrSignature()
    {
        await using var exchange = Exchange(secret: "not-the-secret");
        var options = new NaiveStrategyOptions { RetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(200) };
        options.AddSymbol("XRPUSDT", s => s with { Chunks = 1, Budget = 100m });
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("w"), TimeProvider.System);

        _ = engine.StartWithRetriesAsync();

        await Until(() => engine.Readiness.ToString().Contains("API key or signature rejected", StringComparison.Ordinal));
        engine.Readiness.Status.Should().Be(EngineReadinessStatus.Starting, "no symbol starts with a key Binance refuses");
    }

    [Fact]
    public void SandboxFaultOptions_SymbolStatus_ParsedAndUnknownStatusRefused()
    {
        SandboxFaultOptions.Parse("symbol-status=XRPUSDT:CANCEL_ONLY").SymbolStatuses.Should().Equal(new Dictionary<string, string> { ["XRPUSDT"] = "CANCEL_ONLY" });
        var act = () => SandboxFaultOptions.Parse("symbol-status=XRPUSDT:CLOSED");
        act.Should().Throw<FormatException>().WithMessage("*SYMBOL:STATUS*TRADING, END_OF_DAY, HALT, BREAK, CANCEL_ONLY*'XRPUSDT:CLOSED'*");
    }

    private static Task Until(Func<bool> condition) =>
        Wait.UntilAsync(condition, "the condition should hold within 10 s", TimeSpan.FromSeconds(10), every: TimeSpan.FromMilliseconds(50));
}
