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

/// <summary>A test class's sandbox (<see cref="SandboxSetup.StartAsync"/>), started before each test and disposed after it.</summary>
public abstract class SandboxServerTests : IAsyncLifetime
{
    private protected const string Key = "test-api-key";
    private protected const string Secret = "test-secret-key-0123456789";
    private protected static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private protected BinanceSandboxServer Server { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Server = await SandboxSetup.StartAsync(Key, Secret);

    public virtual async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// A test class's sandbox and adapter with a 5 s request timeout, made before each test and disposed after it;
/// <see cref="Signals"/> hears the adapter's log events (109: the user data stream is subscribed).
/// </summary>
public abstract class SandboxExchangeTests : SandboxServerTests
{
    private protected LogSignals Signals { get; } = new();

    private protected BinanceExchange Exchange { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Exchange = SandboxSetup.Exchange(Server, Key, Secret, o => o.RequestTimeout = TimeSpan.FromSeconds(5), Signals);
    }

    public override async Task DisposeAsync()
    {
        await Exchange.DisposeAsync();
        await base.DisposeAsync();
    }
}
