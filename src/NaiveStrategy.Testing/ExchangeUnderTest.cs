namespace NaiveStrategy.Testing;

/// <summary>
/// The adapter the contract tests run against: what a test needs to create a fresh exchange and drive its
/// market. Write one per adapter, and return a new one from
/// <see cref="ExchangeContractTests.CreateExchangeUnderTest"/> in each area class you derive
/// (<see cref="ExchangePlacementContractTests"/>, <see cref="ExchangeFillContractTests"/>…). The kit disposes it
/// after the test, after the exchange.
/// </summary>
/// <remarks>
/// The tests trade <see cref="Filters"/>'s symbol with BUY orders only: resting ones at
/// <see cref="RestingBuyPrice"/> or a few ticks below, filled by trades made through
/// <see cref="PublishTradeAsync"/> one tick under their price.
/// </remarks>
public abstract class ExchangeUnderTest : IAsyncDisposable
{
    /// <summary>
    /// The symbol the tests trade, with the filters the exchange must report for it, in our naming
    /// (upper-case <c>BASEQUOTE</c>, e.g. <c>XRPUSDT</c>, whatever the exchange calls it).
    /// </summary>
    public abstract SymbolFilters Filters { get; }

    /// <summary>
    /// A price (a multiple of the tick size, at least ten ticks above the minimum price) at which a BUY
    /// rests: no trade happens below it unless <see cref="PublishTradeAsync"/> makes one. On a live
    /// test network, well below the market.
    /// </summary>
    public abstract decimal RestingBuyPrice { get; }

    /// <summary>
    /// How long an eventually-consistent exchange may take before a query, the balances or the update
    /// stream reflect a change. Every wait in the kit is bounded by it, measured on <see cref="Time"/>.
    /// </summary>
    public virtual TimeSpan Patience => TimeSpan.FromSeconds(5);

    /// <summary>
    /// The clock of the exchange under test: the kit's waits are measured on it and its trades are stamped
    /// with it. The system clock unless the adapter runs on another (an exchange on market time).
    /// </summary>
    public virtual TimeProvider Time => TimeProvider.System;

    /// <summary>A symbol the exchange does not list.</summary>
    public virtual string UnknownSymbol => "NOSUCHCOIN" + Filters.QuoteAsset;

    /// <summary>When set, the <see cref="ExchangeError.Code"/> a filter failure must carry (Binance: -1013).</summary>
    public virtual int? FilterFailureCode => null;

    /// <summary>When set, the <see cref="ExchangeError.Code"/> an unaffordable order must carry (Binance: -2010).</summary>
    public virtual int? InsufficientBalanceCode => null;

    /// <summary>
    /// A fresh account on the exchange: no open order of the symbol, funded with at least 20 × the minimum
    /// notional of <see cref="Filters"/>'s quote asset. The kit disposes it after the test
    /// (<see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>).
    /// </summary>
    public abstract Task<IExchange> CreateExchangeAsync();

    /// <summary>
    /// Makes a public trade happen on the exchange, so that resting orders match: a BUY priced strictly
    /// above <paramref name="trade"/>'s price fills (a SELL strictly below), at most its quantity where the
    /// exchange fills partially. The kit calls it only after the placements it depends on succeeded.
    /// </summary>
    public abstract Task PublishTradeAsync(TradeEvent trade);

    /// <summary>Releases what <see cref="CreateExchangeAsync"/> started besides the exchange (a fake server…).</summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
