using Microsoft.Extensions.Options;
using NaiveStrategy.Binance;
using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Testing;

namespace NaiveStrategy.Testing.Tests;

/// <summary>The contract kit against the Binance adapter talking to the Binance-compatible sandbox on 127.0.0.1.</summary>
public sealed class BinanceExchangeContractTests : ExchangeContractTests
{
    private const string Key = "kit-api-key";
    private const string Secret = "kit-secret-key";
    private BinanceSandboxServer? _server;

    protected override string Symbol => "XRPUSDT";

    protected override decimal RestingPrice => 0.5m;

    protected override async Task<IExchange> CreateExchangeAsync()
    {
        var options = new SandboxOptions { Port = 0 };
        options.ApiKeys.Add(new SandboxApiKey(Key, Secret));
        options.Balances["USDT"] = 1_000m;
        _server = new BinanceSandboxServer(options);
        await _server.StartAsync();
        return new BinanceExchange(new HttpClient(), Options.Create(new BinanceExchangeOptions
        {
            ApiKey = Key,
            SecretKey = Secret,
            RestBaseUrl = new Uri(_server.RestBaseUrl),
            WebSocketApiUrl = new Uri(_server.WebSocketApiUrl),
            StreamBaseUrl = new Uri(_server.StreamBaseUrl),
            RequestTimeout = TimeSpan.FromSeconds(5),
        }));
    }

    protected override Task PublishTradeAsync(TradeEvent trade)
    {
        _server!.PublishTrade(trade);
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
