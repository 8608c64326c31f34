using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NaiveStrategy.Mock;
using NaiveStrategy.Testing;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

public sealed class HostingTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static InMemoryExchange Exchange() => new(new InMemoryExchangeOptions { Symbols = { Filters(minNotional: 1m) }, Balances = { ["USDT"] = 1000m } });

    [Fact]
    public void Dispose_ProviderDisposedSynchronously_DoesNotThrow()
    {
        var services = new ServiceCollection();
        services.AddNaiveStrategy(o => o.AddSymbol("XRPUSDT")).AddMockExchange(o => o.Symbols.Add(Filters()));
        var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<NaiveStrategyEngine>();

        var act = provider.Dispose;

        act.Should().NotThrow();
        engine.Readiness.Status.Should().Be(EngineReadinessStatus.Stopped);
    }

    [Fact]
    public async Task AddNaiveStrategy_Configuration_BindsSymbolsOnByDefaultAndAutostarts()
    {
        var configuration = Configuration(
            ("NaiveStrategy:MaxRetryDelay", "00:00:10"),
            ("NaiveStrategy:Symbols:0:Symbol", "XRPUSDT"),
            ("NaiveStrategy:Symbols:0:Chunks", "3"),
            ("NaiveStrategy:Symbols:0:Budget", "60.5"),
            ("NaiveStrategy:Symbols:0:MaxBuyWait", "00:30:00"));
        var services = new ServiceCollection();
        services.AddNaiveStrategy(configuration.GetSection("NaiveStrategy")).AddMockExchange(o => { o.Symbols.Add(Filters()); o.Balances["USDT"] = 100m; });
        await using var provider = services.BuildServiceProvider();

        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var options = provider.GetRequiredService<IOptions<NaiveStrategyOptions>>().Value;
        options.MaxRetryDelay.Should().Be(TimeSpan.FromSeconds(10));
        options.Symbols.Should().ContainSingle().Which.Should().Be(new SymbolSettings { Symbol = "XRPUSDT", Chunks = 3, Budget = 60.5m, MaxBuyWait = TimeSpan.FromMinutes(30), Status = SymbolStatus.On });
        var engine = provider.GetRequiredService<NaiveStrategyEngine>();
        engine.GetState("XRPUSDT")!.Traders.Should().ContainSingle();
        engine.Readiness.IsReady.Should().BeTrue();
    }

    [Fact]
    public void AddNaiveStrategy_ConfigurationWithUnknownKey_FailsNamingIt()
    {
        var configuration = Configuration(("Symbols:0:Symbol", "XRPUSDT"), ("Symbols:0:Chunk", "3"));
        var services = new ServiceCollection();
        services.AddNaiveStrategy(configuration).AddMockExchange(o => o.Symbols.Add(Filters()));
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<NaiveStrategyOptions>>().Value;

        act.Should().Throw<InvalidOperationException>().WithInnerException<InvalidOperationException>().WithMessage("*'Chunk'*");
    }

    [Fact]
    public void AddNaiveStrategy_ConfigurationWithInvalidValue_FailsValidationNamingField()
    {
        var configuration = Configuration(("Symbols:0:Symbol", "XRPUSDT"), ("Symbols:0:Chunks", "0"));
        var services = new ServiceCollection();
        services.AddNaiveStrategy(configuration).AddMockExchange(o => o.Symbols.Add(Filters()));
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<NaiveStrategyOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*chunks must be >= 1, got 0*");
    }

    [Fact]
    public async Task StartWithRetriesAsync_ExchangeDownAtStart_WaitsWithBackoffThenTrades()
    {
        var exchange = new FlakyExchange(Exchange(), failures: 3);
        var time = new FakeTimeProvider(T0);
        var options = new NaiveStrategyOptions { RetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(4) };
        options.AddSymbol("XRPUSDT", s => Settings());
        await using var engine = new NaiveStrategyEngine(exchange, exchange.Inner, Options.Create(options), new TraderIdGenerator("t"), time);
        var seen = new List<EngineReadiness>();
        engine.ReadinessChanged += (_, r) => seen.Add(r);

        var starting = engine.StartWithRetriesAsync();

        starting.IsCompleted.Should().BeFalse();
        engine.Readiness.Status.Should().Be(EngineReadinessStatus.Starting);
        engine.Readiness.Waiting.Should().ContainKey("XRPUSDT").WhoseValue.Should().Contain("exchange down");
        engine.Readiness.ToString().Should().StartWith("starting: XRPUSDT (");
        // The retry loop may not have armed its delay when the clock moves: keep moving it until the start is done.
        await Wait.UntilAsync(() => starting.IsCompleted, "the start done, the clock advancing 1 s per check", betweenChecks: () => time.Advance(TimeSpan.FromSeconds(1)));

        await starting.WaitAsync(TimeSpan.FromSeconds(10));
        engine.Readiness.IsReady.Should().BeTrue();
        engine.GetState("XRPUSDT")!.Traders.Should().ContainSingle();
        exchange.FilterCalls.Should().Be(4);
        seen.Last().IsReady.Should().BeTrue();
    }

    [Fact]
    public async Task HostedService_ExchangeDownAtStart_DoesNotThrowAndStopsCleanly()
    {
        var exchange = new FlakyExchange(Exchange(), failures: int.MaxValue);
        var services = new ServiceCollection();
        services.AddSingleton<IExchange>(exchange).AddSingleton<IMarketData>(exchange.Inner).AddSingleton<TimeProvider>(new FakeTimeProvider(T0));
        services.AddNaiveStrategy(o => o.AddSymbol("XRPUSDT", _ => Settings()));
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().Single();

        await hosted.StartAsync(CancellationToken.None);
        var engine = provider.GetRequiredService<NaiveStrategyEngine>();
        engine.Readiness.IsReady.Should().BeFalse();
        await hosted.StopAsync(CancellationToken.None);

        engine.Readiness.Status.Should().Be(EngineReadinessStatus.Stopped);
    }

    [Fact]
    public async Task StartAsync_ExchangeDown_ThrowsAndReportsWhy()
    {
        var exchange = new FlakyExchange(Exchange(), failures: int.MaxValue);
        var options = new NaiveStrategyOptions { MaxPlacementAttempts = 1 };
        options.AddSymbol("XRPUSDT", _ => Settings());
        await using var engine = new NaiveStrategyEngine(exchange, exchange.Inner, Options.Create(options), new TraderIdGenerator("t"), new FakeTimeProvider(T0));

        var act = () => engine.StartAsync();

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*XRPUSDT*exchange down*");
        engine.Readiness.Waiting.Should().ContainKey("XRPUSDT");
    }

    private sealed class FlakyExchange(InMemoryExchange inner, int failures) : DelegatingExchange(inner)
    {
        private int _calls;

        public InMemoryExchange Inner { get; } = inner;

        public int FilterCalls => _calls;

        public override ValueTask<ExchangeResult<SymbolFilters>> GetSymbolFiltersAsync(string symbol, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _calls) <= failures
                ? ValueTask.FromResult(ExchangeResult<SymbolFilters>.Failure(new ExchangeError(ExchangeErrorKind.Unknown, 0, "exchange down")))
                : InnerExchange.GetSymbolFiltersAsync(symbol, cancellationToken);
    }
}
