using Microsoft.Extensions.Options;
using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Binance.Tests;

/// <summary>
/// Binance changes a symbol's filters while the strategy runs (filters.md: PRICE_FILTER's tickSize and the others are
/// Binance's to change): the adapter reads them again and hands the change to the engine through
/// <see cref="IExchange.SymbolFiltersChanged"/>, so the next order is priced with the new tick.
/// </summary>
public sealed class FilterChangeTests : SandboxServerTests
{
    private BinanceExchange Exchange() => SandboxSetup.Exchange(Server, Key, Secret, o => o.FiltersRefreshEvery = TimeSpan.FromMilliseconds(200));

    [Fact]
    public async Task SymbolFiltersChanged_SandboxTickCoarser_EmitsTheNewFilters()
    {
        await using var exchange = Exchange();
        var changes = new List<SymbolFilters>();
        using var subscription = exchange.SymbolFiltersChanged.Subscribe(f => { lock (changes) { changes.Add(f); } });
        (await exchange.GetSymbolFiltersAsync("XRPUSDT")).Value.TickSize.Should().Be(0.0001m);

        Server.Faults.SetSymbolFilters(SymbolFilterPresets.XrpUsdt with { TickSize = 0.001m });

        var changed = await Wait.ForAsync(() => { lock (changes) { return Task.FromResult(changes.FirstOrDefault()); } }, "a filter change", TimeSpan.FromSeconds(10), every: TimeSpan.FromMilliseconds(50));
        changed.Should().Be(SymbolFilterPresets.XrpUsdt with { TickSize = 0.001m });
        (await exchange.GetSymbolFiltersAsync("XRPUSDT")).Value.TickSize.Should().Be(0.001m);
    }

    [Fact]
    public async Task Engine_TickSizeChangedMidRun_NextOrderUsesTheNewTick()
    {
        await using var exchange = Exchange();
        var options = new NaiveStrategyOptions { RetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(200) };
        options.AddSymbol("XRPUSDT", s => s with { Chunks = 1, Budget = 100m, BuyDownInterval = 0.01m });
        await using var engine = new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("t"), TimeProvider.System);
        _ = engine.StartWithRetriesAsync();
        await Until(() => engine.Readiness.Status == EngineReadinessStatus.Ready && engine.GetState("XRPUSDT")?.Traders.Count == 1);
        engine.GetState("XRPUSDT")!.Traders[0].Filters.TickSize.Should().Be(0.0001m);

        Server.Faults.SetSymbolFilters(SymbolFilterPresets.XrpUsdt with { TickSize = 0.001m });
        await Until(() => engine.GetState("XRPUSDT")?.Filters?.TickSize == 0.001m);

        // 0.5123 less 1 %: 0.507177, 0.5071 on the old tick (which the sandbox now refuses), 0.507 on the new.
        var id = 0;
        await Until(() =>
        {
            Server.PublishTrade(new TradeEvent("XRPUSDT", ++id, 0.5123m, 10m, T0.AddSeconds(id)));
            return Server.Exchange.Orders.Any();
        });
        Server.Exchange.Orders.Should().ContainSingle().Which.Price.Should().Be(0.507m);
    }

    private static Task Until(Func<bool> condition) =>
        Wait.UntilAsync(condition, "the condition should hold within 10 s", TimeSpan.FromSeconds(10), every: TimeSpan.FromMilliseconds(100));
}
