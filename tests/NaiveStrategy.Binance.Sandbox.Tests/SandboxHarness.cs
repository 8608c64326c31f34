using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace NaiveStrategy.Binance.Sandbox.Tests;

/// <summary>A started sandbox on a free loopback port, with a signing HTTP client and WebSocket helpers.</summary>
internal sealed class SandboxHarness : IAsyncDisposable
{
    public const string ApiKey = "test-api-key";
    public const string SecretKey = "test-secret-key";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private SandboxHarness(BinanceSandboxServer server)
    {
        Server = server;
        Http = new HttpClient { BaseAddress = new Uri(server.RestBaseUrl), Timeout = TimeSpan.FromSeconds(10) };
    }

    public BinanceSandboxServer Server { get; }

    public HttpClient Http { get; }

    public static async Task<SandboxHarness> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { PingInterval = TimeSpan.FromSeconds(5), PongTimeout = TimeSpan.FromSeconds(5) };
        options.ApiKeys.Add(new SandboxApiKey(ApiKey, SecretKey));
        options.Symbols.Add(SymbolFilterPresets.XrpUsdt);
        options.Balances["USDT"] = 1000m;
        configure?.Invoke(options);
        var server = new BinanceSandboxServer(options);
        await server.StartAsync();
        return new SandboxHarness(server);
    }

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static string Sign(string payload, string secret = SecretKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));

    /// <summary>Sends a signed request with the parameters in the query string (timestamp added unless present).</summary>
    public Task<HttpResponseMessage> SignedAsync(HttpMethod method, string path, string query, string? apiKey = ApiKey, string secret = SecretKey)
    {
        if (!query.Contains("timestamp=", StringComparison.Ordinal))
        {
            query = (query.Length == 0 ? string.Empty : query + "&") + "timestamp=" + Now.ToString(CultureInfo.InvariantCulture);
        }

        var request = new HttpRequestMessage(method, $"{path}?{query}&signature={Sign(query, secret)}");
        if (apiKey is not null)
        {
            request.Headers.Add("X-MBX-APIKEY", apiKey);
        }

        return Http.SendAsync(request);
    }

    public async Task<(HttpResponseMessage Response, JsonElement Json)> SignedJsonAsync(HttpMethod method, string path, string query)
    {
        var response = await SignedAsync(method, path, query);
        return (response, await JsonAsync(response));
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public Task<(HttpResponseMessage Response, JsonElement Json)> PlaceAsync(string clientOrderId, string side = "BUY", string price = "0.5000", string quantity = "100") =>
        SignedJsonAsync(HttpMethod.Post, "/api/v3/order", $"symbol=XRPUSDT&side={side}&type=LIMIT&timeInForce=GTC&quantity={quantity}&price={price}&newClientOrderId={clientOrderId}");

    public async Task<ClientWebSocket> ConnectAsync(string url)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(new Uri(url), timeout.Token);
        return socket;
    }

    public static async Task SendAsync(ClientWebSocket socket, string json)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next text message as JSON; throws on timeout or close.</summary>
    public static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException("closed by server");
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                using var document = JsonDocument.Parse(message.ToArray());
                return document.RootElement.Clone();
            }
        }
    }

    /// <summary>The next user data executionReport message (Binance's account events in between are skipped).</summary>
    public static async Task<JsonElement> ReceiveReportAsync(ClientWebSocket socket)
    {
        while (true)
        {
            var message = await ReceiveAsync(socket);
            if (!message.TryGetProperty("event", out var e) || e.GetProperty("e").GetString() == "executionReport")
            {
                return message;
            }
        }
    }

    /// <summary>Subscribes to the user data stream over the WebSocket API; returns the socket and subscription id.</summary>
    public async Task<(ClientWebSocket Socket, long SubscriptionId)> SubscribeUserDataAsync()
    {
        var socket = await ConnectAsync(Server.WebSocketApiUrl);
        await SendAsync(socket, SignedWebSocketRequest("sub-1", "userDataStream.subscribe.signature", []));
        var response = await ReceiveAsync(socket);
        response.GetProperty("status").GetInt32().Should().Be(200, response.ToString());
        return (socket, response.GetProperty("result").GetProperty("subscriptionId").GetInt64());
    }

    public static string SignedWebSocketRequest(string id, string method, Dictionary<string, string> parameters, string secret = SecretKey, long? timestamp = null)
    {
        parameters = new Dictionary<string, string>(parameters, StringComparer.Ordinal)
        {
            ["apiKey"] = ApiKey,
            ["timestamp"] = (timestamp ?? Now).ToString(CultureInfo.InvariantCulture),
        };
        var payload = string.Join('&', parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
        parameters["signature"] = Sign(payload, secret);
        return JsonSerializer.Serialize(new { id, method, @params = parameters });
    }

    public void Trade(decimal price, decimal quantity, long id = 1) =>
        Server.PublishTrade(new TradeEvent("XRPUSDT", id, price, quantity, DateTimeOffset.UtcNow));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
