using NaiveStrategy.Binance;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Testing.Tests;

/// <summary>The in-memory exchange, with partial fills so orders fill in several trades.</summary>
public class InMemoryExchangeUnderTest : ExchangeUnderTest
{
    private InMemoryExchange? _exchange;

    public override SymbolFilters Filters => SymbolFilterPresets.XrpUsdt;

    public override decimal RestingBuyPrice => 0.5m;

    public override int? FilterFailureCode => -1013;

    public override int? InsufficientBalanceCode => -2010;

    public override Task<IExchange> CreateExchangeAsync()
    {
        var options = new InMemoryExchangeOptions { PartialFills = true };
        options.Symbols.Add(Filters);
        options.Balances["USDT"] = 1_000m;
        _exchange = new InMemoryExchange(options);
        return Task.FromResult(Wrap(_exchange));
    }

    /// <summary>What the tests talk to: the exchange itself here.</summary>
    protected virtual IExchange Wrap(InMemoryExchange exchange) => exchange;

    public override Task PublishTradeAsync(TradeEvent trade)
    {
        _exchange!.PublishTrade(trade);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The in-memory exchange through a <see cref="DelegatingExchange"/> that overrides nothing: it must pass every call and
/// the order stream to the exchange it wraps.
/// </summary>
public sealed class DelegatingExchangeUnderTest : InMemoryExchangeUnderTest
{
    protected override IExchange Wrap(InMemoryExchange exchange) => new PassThrough(exchange);

    private sealed class PassThrough(IExchange inner) : DelegatingExchange(inner);
}

// The adapter contract against the in-memory exchange: every area.

public sealed class InMemoryExchangeFiltersContractTests : ExchangeFiltersContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new InMemoryExchangeUnderTest();
}

public sealed class InMemoryExchangePlacementContractTests : ExchangePlacementContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new InMemoryExchangeUnderTest();
}

public sealed class InMemoryExchangeQueryContractTests : ExchangeQueryContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new InMemoryExchangeUnderTest();
}

public sealed class InMemoryExchangeFillContractTests : ExchangeFillContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new InMemoryExchangeUnderTest();
}

public sealed class InMemoryExchangeCancelContractTests : ExchangeCancelContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new InMemoryExchangeUnderTest();
}

public sealed class InMemoryExchangeAccountContractTests : ExchangeAccountContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new InMemoryExchangeUnderTest();
}

// The same contract through a DelegatingExchange that overrides nothing: every area.

public sealed class DelegatingExchangeFiltersContractTests : ExchangeFiltersContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new DelegatingExchangeUnderTest();
}

public sealed class DelegatingExchangePlacementContractTests : ExchangePlacementContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new DelegatingExchangeUnderTest();
}

public sealed class DelegatingExchangeQueryContractTests : ExchangeQueryContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new DelegatingExchangeUnderTest();
}

public sealed class DelegatingExchangeFillContractTests : ExchangeFillContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new DelegatingExchangeUnderTest();
}

public sealed class DelegatingExchangeCancelContractTests : ExchangeCancelContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new DelegatingExchangeUnderTest();
}

public sealed class DelegatingExchangeAccountContractTests : ExchangeAccountContractTests
{
    protected override ExchangeUnderTest CreateExchangeUnderTest() => new DelegatingExchangeUnderTest();
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
