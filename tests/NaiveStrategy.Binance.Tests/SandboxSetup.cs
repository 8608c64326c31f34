using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NaiveStrategy.Binance.Sandbox;

namespace NaiveStrategy.Binance.Tests;

/// <summary>The setup the adapter's end-to-end tests share: a sandbox on a free port with one API key and 1,000 USDT, and the adapter pointed at it.</summary>
internal static class SandboxSetup
{
    public static async Task<BinanceSandboxServer> StartAsync(string key, string secret)
    {
        var options = new SandboxOptions { Port = 0 };
        options.ApiKeys.Add(new SandboxApiKey(key, secret));
        options.Balances["USDT"] = 1_000m;
        var server = new BinanceSandboxServer(options);
        await server.StartAsync();
        return server;
    }

    public static BinanceExchange Exchange(BinanceSandboxServer server, string key, string secret, Action<BinanceExchangeOptions>? configure = null, ILoggerFactory? loggerFactory = null)
    {
        var options = new BinanceExchangeOptions
        {
            ApiKey = key,
            SecretKey = secret,
            RestBaseUrl = new Uri(server.RestBaseUrl),
            WebSocketApiUrl = new Uri(server.WebSocketApiUrl),
            StreamBaseUrl = new Uri(server.StreamBaseUrl),
        };
        configure?.Invoke(options);
        return new BinanceExchange(new HttpClient(), Options.Create(options), loggerFactory: loggerFactory);
    }
}
