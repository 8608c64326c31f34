using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NaiveStrategy.Binance.Sandbox;

namespace NaiveStrategy.Binance.Tests;

/// <summary>Each kind of API key Binance issues trades a full cycle against the sandbox, which verifies it as Binance does.</summary>
public sealed class KeyTypeTests
{
    private const string Key = "key-under-test";
    private const string Secret = "hmac-secret-0123456789";
    private const string Passphrase = "test-passphrase";
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public enum Kind
    {
        Hmac,
        Ed25519,
        EncryptedEd25519,
        Rsa,
    }

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    private static SandboxApiKey Registered(Kind kind) => kind switch
    {
        Kind.Hmac => new SandboxApiKey(Key, Secret),
        Kind.Rsa => new SandboxApiKey(Key, string.Empty) { PublicKeyPem = Fixture("rsa.pub.pem") },
        _ => new SandboxApiKey(Key, string.Empty) { PublicKeyPem = Fixture("ed25519-rfc8032-test1.pub.pem") },
    };

    private static void Signing(BinanceExchangeOptions o, Kind kind)
    {
        switch (kind)
        {
            case Kind.Hmac:
                o.SecretKey = Secret;
                break;
            case Kind.Rsa:
                o.PrivateKey = Fixture("rsa.pem");
                break;
            case Kind.Ed25519:
                o.PrivateKeyFile = Path.Combine(AppContext.BaseDirectory, "Fixtures", "ed25519-rfc8032-test1.pem");
                break;
            default:
                o.PrivateKeyFile = Path.Combine(AppContext.BaseDirectory, "Fixtures", "ed25519-rfc8032-test1.encrypted.pem");
                o.PrivateKeyPassphrase = Passphrase;
                break;
        }
    }

    private static async Task<BinanceSandboxServer> StartSandboxAsync(SandboxApiKey key)
    {
        var options = new SandboxOptions { Port = 0 };
        options.ApiKeys.Add(key);
        options.Balances["USDT"] = 1_000m;
        var server = new BinanceSandboxServer(options);
        await server.StartAsync();
        return server;
    }

    private static BinanceExchange Exchange(BinanceSandboxServer server, Action<BinanceExchangeOptions> signing, ILoggerFactory? logs = null)
    {
        var options = new BinanceExchangeOptions
        {
            ApiKey = Key,
            RestBaseUrl = new Uri(server.RestBaseUrl),
            WebSocketApiUrl = new Uri(server.WebSocketApiUrl),
            StreamBaseUrl = new Uri(server.StreamBaseUrl),
            RequestTimeout = TimeSpan.FromSeconds(5),
        };
        signing(options);
        return new BinanceExchange(new HttpClient(), Options.Create(options), loggerFactory: logs);
    }

    private static Task<T> Eventually<T>(Func<T?> probe)
        where T : class => Wait.ForAsync(() => Task.FromResult(probe()), "the condition", TimeSpan.FromSeconds(10), every: TimeSpan.FromMilliseconds(50));

    [Theory]
    [InlineData(Kind.Hmac)]
    [InlineData(Kind.Ed25519)]
    [InlineData(Kind.EncryptedEd25519)]
    [InlineData(Kind.Rsa)]
    public async Task FullCycle_EachKeyKind_BuyFilledOverTheUserDataStreamSellCanceled(Kind kind)
    {
        await using var server = await StartSandboxAsync(Registered(kind));
        var logs = new CapturingLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using var exchange = Exchange(server, o => Signing(o, kind), factory);
        var updates = new ConcurrentQueue<OrderUpdate>();
        using var subscription = exchange.OrderUpdates.Subscribe(updates.Enqueue);
        await Eventually(() => logs.Lines.FirstOrDefault(l => l.Contains("subscribed", StringComparison.Ordinal)));

        (await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "k-b", OrderSide.Buy, 0.5m, 40m))).Value.Status.Should().Be(OrderStatus.New);
        server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.49m, 1000m, T0));
        var filled = await Eventually(() => updates.LastOrDefault(u => u.ClientOrderId == "k-b" && u.Status == OrderStatus.Filled));
        filled.Commission.Should().Be(0.04m);
        (await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "k-s", OrderSide.Sell, 0.6m, 39m))).IsSuccess.Should().BeTrue();
        (await exchange.GetOrderAsync("XRPUSDT", "k-s")).Value.Status.Should().Be(OrderStatus.New);
        (await exchange.CancelOrderAsync("XRPUSDT", "k-s")).Value.Status.Should().Be(OrderStatus.Canceled);
        (await exchange.GetBalancesAsync()).Value.Should().Contain(b => b.Asset == "XRP" && b.Free == 39.96m);

        var output = string.Join('\n', logs.Lines);
        output.Should().NotContain(Secret).And.NotContain(Passphrase);
        foreach (var pem in new[] { "rsa.pem", "ed25519-rfc8032-test1.pem", "ed25519-rfc8032-test1.encrypted.pem" })
        {
            foreach (var line in Fixture(pem).Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)))
            {
                output.Should().NotContain(line[..Math.Min(24, line.Length)], "no key material reaches a log line");
            }
        }
    }

    [Theory]
    [InlineData(Kind.Hmac)]
    [InlineData(Kind.Ed25519)]
    [InlineData(Kind.Rsa)]
    public async Task PlaceLimitOrderAsync_WrongKeyOfEachKind_RefusedWith1022(Kind kind)
    {
        await using var server = await StartSandboxAsync(Registered(kind));

        // A key of the same kind that is not the registered one, and a key of another kind.
        Action<BinanceExchangeOptions> sameKind = kind switch
        {
            Kind.Hmac => o => o.SecretKey = "another-secret",
            Kind.Ed25519 => o => o.PrivateKey = Fixture("ed25519-other.pem"),
            _ => o => o.PrivateKey = OtherRsa(),
        };
        Action<BinanceExchangeOptions> otherKind = kind == Kind.Hmac ? o => o.PrivateKey = Fixture("rsa.pem") : o => o.SecretKey = Secret;
        foreach (var signing in new[] { sameKind, otherKind })
        {
            await using var exchange = Exchange(server, signing);
            var result = await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "w-b", OrderSide.Buy, 0.5m, 40m));
            result.Error!.Code.Should().Be(-1022);
        }
    }

    [Fact]
    public async Task OrderUpdates_WrongSecret_ReconnectionsBackOffInsteadOfEvery250Ms()
    {
        await using var server = await StartSandboxAsync(Registered(Kind.Hmac));
        await using var exchange = Exchange(server, o => o.SecretKey = "wrong-secret");

        using var subscription = exchange.OrderUpdates.Subscribe(_ => { });
        // Real time is the thing tested: how many connections a refused subscription makes in a 4 s window of backoff.
        await Task.Delay(TimeSpan.FromSeconds(4));

        // Refused subscriptions back off 250 ms, 500 ms, 1 s, 2 s (each jittered down to 75 %): at most 5 connections in
        // 4 s, where a backoff reset at each sent request connected every 250 ms (16).
        server.ConnectionsAccepted(SandboxSocketKinds.WebSocketApi).Should().BeInRange(2, 5);
    }

    // A second RSA key, made here: only its being different from the registered one matters.
    private static string OtherRsa()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    private sealed class CapturingLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IEnumerable<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
        }
    }
}
