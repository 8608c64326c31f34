using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Mock;
using NaiveStrategy.Testing;

namespace NaiveStrategy.Testing.Tests;

/// <summary>The contract kit against the in-memory exchange.</summary>
public sealed class InMemoryExchangeContractTests : ExchangeContractTests
{
    private InMemoryExchange? _exchange;

    protected override string Symbol => "XRPUSDT";

    protected override decimal RestingPrice => 0.5m;

    protected override Task<IExchange> CreateExchangeAsync()
    {
        _exchange = new InMemoryExchange(new InMemoryExchangeOptions
        {
            Symbols = { SandboxOptions.DefaultSymbol },
            Balances = { ["USDT"] = 1_000m },
        });
        return Task.FromResult<IExchange>(_exchange);
    }

    protected override Task PublishTradeAsync(TradeEvent trade)
    {
        _exchange!.PublishTrade(trade);
        return Task.CompletedTask;
    }
}
