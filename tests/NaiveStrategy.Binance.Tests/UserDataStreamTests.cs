using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using NaiveStrategy.Binance.Sandbox;

namespace NaiveStrategy.Binance.Tests;

/// <summary>
/// The WebSocket API user data stream against the sandbox: serverShutdown (web-socket-api.md, "Server Shutdown") is
/// answered by a new connection subscribed before the old one closes, and a -1021 is re-synced and asked again once.
/// </summary>
public sealed class UserDataStreamTests
{
    private const string Key = "k";
    private const string Secret = "s";

    public enum KeyKind
    {
        Hmac,
        Ed25519,
    }

    [Theory]
    [InlineData(KeyKind.Hmac)]
    [InlineData(KeyKind.Ed25519)]
    public async Task OrderUpdates_ServerShutdown_NewConnectionSubscribedBeforeTheOldClosesNoEventLost(KeyKind kind)
    {
        var signals = new LogSignals(); // 109: a connection subscribed; 115: the handover is done, the old connection closed
        await using var server = await StartAsync(kind);
        await using var exchange = Exchange(server, kind, signals);
        using var signer = BinanceSigner.Create(Options(server, kind));
        var received = new ConcurrentQueue<OrderUpdate>();
        using var subscription = exchange.OrderUpdates.Subscribe(received.Enqueue);
        await SubscribedAsync(server, signer, received, signals);

        var placed = new List<string>();
        async Task<bool> PlaceAsync()
        {
            var id = "h-" + (placed.Count + 1).ToString(CultureInfo.InvariantCulture);
            (await PostOrderAsync(server, signer, id)).Should().Be(HttpStatusCode.OK);
            placed.Add(id);
            return true;
        }

        for (var n = 1; n <= 10; n++)
        {
            await PlaceAsync();
        }

        server.SendServerShutdown(SandboxSocketKinds.WebSocketApi, TimeSpan.FromSeconds(1)).Should().Be(1);

        // An order every 20 ms through each step of the handover: while the successor connects and subscribes, while
        // both connections deliver, and until the sandbox has dropped the old one and the adapter has let it go.
        await Wait.UntilAsync(
            async () => await PlaceAsync() && signals.Count(115) == 1 && server.OpenConnections(SandboxSocketKinds.WebSocketApi) == 1,
            "the successor subscribed, the old connection closed and the adapter let it go",
            every: TimeSpan.FromMilliseconds(20));
        signals.Count(109).Should().Be(2, "the successor subscribed once");

        // The stream is ordered: once the last order's update is in, every earlier one is too, or is lost.
        await Wait.TryUntilAsync(() => received.Any(u => u.ClientOrderId == placed[^1]));
        received.Select(u => u.ClientOrderId).Where(c => c.StartsWith("h-", StringComparison.Ordinal)).Distinct()
            .Should().BeEquivalentTo(placed, "the old connection delivered until the new one was subscribed");
        server.ConnectionsAccepted(SandboxSocketKinds.WebSocketApi).Should().Be(2, "one successor, no reconnection");
    }

    [Fact]
    public async Task OrderUpdates_SubscriptionAnswered1021_ResyncedAndAskedAgainOnTheSameConnection()
    {
        var signals = new LogSignals(); // 109: the user data stream is subscribed
        await using var server = await StartAsync(KeyKind.Hmac);
        await using var exchange = Exchange(server, KeyKind.Hmac, signals);
        using var signer = BinanceSigner.Create(Options(server, KeyKind.Hmac));
        server.Faults.RejectTimestamps(1);
        var received = new ConcurrentQueue<OrderUpdate>();
        using var subscription = exchange.OrderUpdates.Subscribe(received.Enqueue);
        await Wait.TryUntilAsync(() => server.ConnectionsAccepted(SandboxSocketKinds.WebSocketApi) != 0, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));

        await signals.WaitAsync(109); // subscribed before any order below: the subscription request met the -1021

        await SubscribedAsync(server, signer, received, signals);

        server.ConnectionsAccepted(SandboxSocketKinds.WebSocketApi).Should().Be(1, "a -1021 is answered on the same connection, not by reconnecting");
    }

    [Fact]
    public async Task OrderUpdates_SameOrderIdOnTwoSymbols_BothFillsDelivered()
    {
        var options = new SandboxOptions { Port = 0 };
        options.ApiKeys.Add(new SandboxApiKey(Key, Secret));
        options.Balances["USDT"] = 1_000m;
        options.Symbols.Add(SymbolFilterPresets.XrpUsdt);
        options.Symbols.Add(SymbolFilterPresets.XrpUsdt with { Symbol = "ADAUSDT", BaseAsset = "ADA" });
        await using var server = new BinanceSandboxServer(options);
        await server.StartAsync();
        var signals = new LogSignals(); // 109: the user data stream is subscribed
        await using var exchange = Exchange(server, KeyKind.Hmac, signals);
        var received = new ConcurrentQueue<OrderUpdate>();
        using var subscription = exchange.OrderUpdates.Subscribe(received.Enqueue);
        await signals.WaitAsync(109);
        var xrp = (await exchange.PlaceLimitOrderAsync(new OrderRequest("XRPUSDT", "x-b", OrderSide.Buy, 0.5m, 40m))).Value;
        var ada = (await exchange.PlaceLimitOrderAsync(new OrderRequest("ADAUSDT", "a-b", OrderSide.Buy, 0.5m, 40m))).Value;

        var at = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        server.PublishTrade(new TradeEvent("XRPUSDT", 1, 0.49m, 1000m, at));
        server.PublishTrade(new TradeEvent("ADAUSDT", 1, 0.49m, 1000m, at));
        await Wait.TryUntilAsync(() => received.Count(u => u.Status == OrderStatus.Filled) >= 2, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));

        xrp.OrderId.Should().Be(ada.OrderId, "Binance numbers orders per symbol");
        received.Where(u => u.Status == OrderStatus.Filled).Select(u => u.ClientOrderId).Should().BeEquivalentTo(["x-b", "a-b"], "an event is the same only on the same symbol");
    }

    [Fact]
    public async Task OrderUpdates_ServerClosesBeforeTheHandoverEnds_OldConnectionNotReopened()
    {
        var signals = new LogSignals();
        await using var server = await StartAsync(KeyKind.Hmac);
        await using var exchange = Exchange(server, KeyKind.Hmac, signals);
        using var signer = BinanceSigner.Create(Options(server, KeyKind.Hmac));
        var received = new ConcurrentQueue<OrderUpdate>();
        using var subscription = exchange.OrderUpdates.Subscribe(received.Enqueue);
        await SubscribedAsync(server, signer, received, signals);

        // Dropped 100 ms after the notice: long before the successor's grace second ends.
        server.SendServerShutdown(SandboxSocketKinds.WebSocketApi, TimeSpan.FromMilliseconds(100)).Should().Be(1);
        await signals.WaitAsync(109, count: 2);
        (await PostOrderAsync(server, signer, "after")).Should().Be(HttpStatusCode.OK);
        await Wait.UntilAsync(() => received.Any(u => u.ClientOrderId == "after"), "an update through the successor");
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        server.ConnectionsAccepted(SandboxSocketKinds.WebSocketApi).Should().Be(2, "a connection handed over is not reopened when the server drops it");
        server.OpenConnections(SandboxSocketKinds.WebSocketApi).Should().Be(1);
    }

    // The adapter says it subscribed, then an order placed by another client reaches the subscriber: updates flow.
    private static async Task SubscribedAsync(BinanceSandboxServer server, BinanceSigner signer, ConcurrentQueue<OrderUpdate> received, LogSignals signals)
    {
        await signals.WaitAsync(109);
        (await PostOrderAsync(server, signer, "w-0")).Should().Be(HttpStatusCode.OK);
        await Wait.UntilAsync(() => received.Any(u => u.ClientOrderId == "w-0"), "the update of an order placed by another client");
    }

    private static async Task<BinanceSandboxServer> StartAsync(KeyKind kind)
    {
        var options = new SandboxOptions { Port = 0, OrdersPer10Seconds = 1_000 };
        options.ApiKeys.Add(kind == KeyKind.Hmac ? new SandboxApiKey(Key, Secret) : new SandboxApiKey(Key, string.Empty) { PublicKeyPem = Fixture("ed25519-rfc8032-test1.pub.pem") });
        options.Balances["USDT"] = 1_000_000m;
        var server = new BinanceSandboxServer(options);
        await server.StartAsync();
        return server;
    }

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    private static BinanceExchangeOptions Options(BinanceSandboxServer server, KeyKind kind) => new()
    {
        ApiKey = Key,
        SecretKey = kind == KeyKind.Hmac ? Secret : null,
        PrivateKey = kind == KeyKind.Ed25519 ? Fixture("ed25519-rfc8032-test1.pem") : null,
        RestBaseUrl = new Uri(server.RestBaseUrl),
        WebSocketApiUrl = new Uri(server.WebSocketApiUrl),
        StreamBaseUrl = new Uri(server.StreamBaseUrl),
    };

    private static BinanceExchange Exchange(BinanceSandboxServer server, KeyKind kind, LogSignals signals) =>
        new(new HttpClient(), Microsoft.Extensions.Options.Options.Create(Options(server, kind)), loggerFactory: signals);

    // An order placed by another client of the account: only the user data stream tells the adapter of it.
    private static async Task<HttpStatusCode> PostOrderAsync(BinanceSandboxServer server, BinanceSigner signer, string clientOrderId)
    {
        using var http = new HttpClient();
        var query = "symbol=XRPUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=40&price=0.5000&newClientOrderId=" + clientOrderId
            + "&timestamp=" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, server.RestBaseUrl + "/api/v3/order?" + query + "&signature=" + Uri.EscapeDataString(signer.Sign(query)));
        request.Headers.Add("X-MBX-APIKEY", Key);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
