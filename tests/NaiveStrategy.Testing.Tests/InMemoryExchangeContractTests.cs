using NaiveStrategy.Mock;

namespace NaiveStrategy.Testing.Tests;

/// <summary>The adapter contract against the in-memory exchange, with partial fills so orders fill in several trades.</summary>
public class InMemoryExchangeContractTests : ExchangeContractTests
{
    private InMemoryExchange? _exchange;

    protected override SymbolFilters Filters => SymbolFilterPresets.XrpUsdt;

    protected override decimal RestingBuyPrice => 0.5m;

    protected override int? FilterFailureCode => -1013;

    protected override int? InsufficientBalanceCode => -2010;

    protected override Task<IExchange> CreateExchangeAsync()
    {
        var options = new InMemoryExchangeOptions { PartialFills = true };
        options.Symbols.Add(Filters);
        options.Balances["USDT"] = 1_000m;
        _exchange = new InMemoryExchange(options);
        return Task.FromResult(Wrap(_exchange));
    }

    /// <summary>What the tests talk to: the exchange itself here.</summary>
    protected virtual IExchange Wrap(InMemoryExchange exchange) => exchange;

    protected override Task PublishTradeAsync(TradeEvent trade)
    {
        _exchange!.PublishTrade(trade);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The same contract through a <see cref="DelegatingExchange"/> that overrides nothing: it must pass every call and the
/// order stream to the exchange it wraps.
/// </summary>
public sealed class DelegatingExchangeContractTests : InMemoryExchangeContractTests
{
    protected override IExchange Wrap(InMemoryExchange exchange) => new PassThrough(exchange);

    private sealed class PassThrough(IExchange inner) : DelegatingExchange(inner);
}

/// <summary>The market data contract against the in-memory exchange (its own <see cref="IMarketData"/>).</summary>
public sealed class InMemoryMarketDataContractTests : MarketDataContractTests
{
    private InMemoryExchange? _exchange;

    protected override string Symbol => "XRPUSDT";

    protected override Task<IMarketData> CreateMarketDataAsync()
    {
        var options = new InMemoryExchangeOptions();
        options.Symbols.Add(SymbolFilterPresets.XrpUsdt);
        _exchange = new InMemoryExchange(options);
        return Task.FromResult<IMarketData>(_exchange);
    }

    protected override Task PublishTradeAsync(TradeEvent trade)
    {
        _exchange!.PublishTrade(trade);
        return Task.CompletedTask;
    }
}

/// <summary>The MARKET order contract against the in-memory exchange, through a <see cref="DelegatingExchange"/> that overrides nothing.</summary>
public sealed class InMemoryMarketOrderContractTests : MarketOrderContractTests
{
    private InMemoryExchange? _exchange;

    protected override SymbolFilters Filters => SymbolFilterPresets.XrpUsdt;

    protected override decimal MarketPrice => 0.5m;

    protected override int? FilterFailureCode => -1013;

    protected override int? InsufficientBalanceCode => -2010;

    protected override Task<IExchange> CreateExchangeAsync()
    {
        var options = new InMemoryExchangeOptions { PartialFills = true };
        options.Symbols.Add(Filters);
        options.Balances["XRP"] = 10_000m;
        _exchange = new InMemoryExchange(options);
        return Task.FromResult<IExchange>(new PassThrough(_exchange));
    }

    protected override Task PublishTradeAsync(TradeEvent trade)
    {
        _exchange!.PublishTrade(trade);
        return Task.CompletedTask;
    }

    private sealed class PassThrough(IExchange inner) : DelegatingExchange(inner);
}
