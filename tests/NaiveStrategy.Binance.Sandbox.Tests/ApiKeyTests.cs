using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Binance.Sandbox.Tests;

public sealed class ApiKeyTests
{
    private static readonly SandboxApiKey Fallback = new("fallback-key", "fallback-secret");

    [Fact]
    public void FromCommandLineOrEnvironment_FlagsAndVariables_FlagsWin()
    {
        var key = SandboxApiKey.FromCommandLineOrEnvironment("flag-key", "flag-secret", Fallback, Variables(("NAIVE_SANDBOX_API_KEY", "env-key"), ("NAIVE_SANDBOX_SECRET_KEY", "env-secret")));

        key.Should().Be(new SandboxApiKey("flag-key", "flag-secret"));
    }

    [Fact]
    public void FromCommandLineOrEnvironment_NoFlags_ReadsTheVariables()
    {
        var key = SandboxApiKey.FromCommandLineOrEnvironment(null, null, Fallback, Variables(("NAIVE_SANDBOX_API_KEY", "env-key"), ("NAIVE_SANDBOX_SECRET_KEY", "env-secret")));

        key.Should().Be(new SandboxApiKey("env-key", "env-secret"));
    }

    [Fact]
    public void FromCommandLineOrEnvironment_SecretOnlyInTheEnvironment_MixesFlagAndVariable()
    {
        var key = SandboxApiKey.FromCommandLineOrEnvironment("flag-key", null, Fallback, Variables(("NAIVE_SANDBOX_SECRET_KEY", "env-secret")));

        key.Should().Be(new SandboxApiKey("flag-key", "env-secret"));
    }

    [Fact]
    public void FromCommandLineOrEnvironment_NothingOrEmptyVariables_UsesTheFallback()
    {
        var key = SandboxApiKey.FromCommandLineOrEnvironment(null, null, Fallback, Variables(("NAIVE_SANDBOX_API_KEY", string.Empty)));

        key.Should().Be(Fallback);
    }

    [Fact]
    public void Validate_DuplicateKeys_MessageNeverHoldsTheSecret()
    {
        var options = new SandboxOptions();
        options.ApiKeys.Add(new SandboxApiKey("k", "secret-one"));
        options.ApiKeys.Add(new SandboxApiKey("k", "secret-two"));

        var validate = options.Validate;

        validate.Should().Throw<ArgumentException>().Which.Message.Should().NotContain("secret-one").And.NotContain("secret-two");
    }

    [Fact]
    public async Task Logs_SignedRestAndWebSocketTrafficAtTrace_NeverHoldTheSecret()
    {
        var lines = new List<string>();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLoggerProvider(lines)));
        var options = new SandboxOptions();
        options.ApiKeys.Add(new SandboxApiKey(SandboxHarness.ApiKey, SandboxHarness.SecretKey));
        options.Symbols.Add(SymbolFilterPresets.XrpUsdt);
        await using (var server = new BinanceSandboxServer(options, loggerFactory))
        {
            await server.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(server.RestBaseUrl) };
            var query = $"symbol=XRPUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=100&price=0.5&timestamp={SandboxHarness.Now}";
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v3/order?{query}&signature={SandboxHarness.Sign(query)}");
            request.Headers.Add("X-MBX-APIKEY", SandboxHarness.ApiKey);
            (await http.SendAsync(request)).EnsureSuccessStatusCode();
            using var socket = new System.Net.WebSockets.ClientWebSocket();
            await socket.ConnectAsync(new Uri(server.WebSocketApiUrl), CancellationToken.None);
            await SandboxHarness.SendAsync(socket, SandboxHarness.SignedWebSocketRequest("s", "userDataStream.subscribe.signature", []));
            await SandboxHarness.ReceiveAsync(socket);
            await SandboxHarness.SendAsync(socket, SandboxHarness.SignedWebSocketRequest("bad", "order.status", new() { ["symbol"] = "XRPUSDT" }, secret: "wrong"));
            await SandboxHarness.ReceiveAsync(socket);
        }

        lock (lines)
        {
            lines.Should().NotBeEmpty();
            lines.Should().NotContain(l => l.Contains(SandboxHarness.SecretKey, StringComparison.Ordinal));
        }
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines, categoryName);

        public void Dispose()
        {
        }

        private sealed class ListLogger(List<string> lines, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (lines)
                {
                    lines.Add($"{category}: {formatter(state, exception)} {exception}");
                }
            }
        }
    }
}
