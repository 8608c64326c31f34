using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using NaiveStrategy.Binance.Sandbox.Internal;
using Xunit.Abstractions;

namespace NaiveStrategy.Binance.Sandbox.Tests;

/// <summary>
/// Seeded fuzzing of the sandbox's request parsing, in-process (the sessions and faces the server runs, without the
/// network) plus a smaller number of real round trips. Every case must be answered, in Binance's shape, never with a
/// 500 or an exception, and a WebSocket connection must stay open after each. <c>NAIVE_SANDBOX_FUZZ_SEED</c> picks
/// another seed.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int InProcessCases = 10_000;
    private const int RoundTrips = 300;
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("NAIVE_SANDBOX_FUZZ_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : 15_003;

    [Fact]
    public async Task WebSocketApi_FuzzedMessages_EachAnsweredOnceNever500ConnectionOpen()
    {
        await using var sandbox = await FuzzSandboxAsync();
        var fuzzer = new RequestFuzzer(Seed);
        var (connection, outbox) = FakeConnection(sandbox, SandboxSocketKinds.WebSocketApi);
        var session = new WebSocketApiSession(sandbox.Server.Engine, connection, "127.0.0.1");
        var statuses = new Dictionary<int, int>();

        var cases = 0;
        for (; cases < InProcessCases; cases++)
        {
            var message = fuzzer.WebSocketApiMessage();
            if (message.Binary)
            {
                session.OnBinary();
            }
            else
            {
                await session.OnTextAsync(message.Text, CancellationToken.None);
            }

            if (cases % 50 == 0)
            {
                sandbox.Trade(cases % 100 == 0 ? 0.4m : 0.6m, 50m, id: cases + 1); // fills, so executionReports flow too
            }

            var response = SingleResponse(outbox, cases, message.Text);
            var status = response.GetProperty("status").GetInt32();
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status is 200 or 400 or 401 or 403 or 404 or 429 or 418, Describe(cases, message.Text, response));
            if (status != 200)
            {
                AssertBinanceError(response.GetProperty("error"), cases, message.Text);
            }

            if (message.IdKnown)
            {
                Assert.True(response.GetProperty("id").GetRawText() == message.ExpectedIdJson, Describe(cases, message.Text, response));
            }

            Assert.False(outbox.IsClosed, Describe(cases, message.Text, response));
        }

        session.Close();
        Report("WebSocket API", cases, statuses);
        cases.Should().Be(InProcessCases);
        sandbox.Server.Diagnostics.UnexpectedErrors.Should().Be(0);
        statuses.Keys.Should().Contain([200, 400], "the fuzzer reaches both the handlers and their rejections");
    }

    [Fact]
    public async Task MarketStreams_FuzzedMessages_EachAnsweredOnceConnectionOpen()
    {
        await using var sandbox = await FuzzSandboxAsync();
        var fuzzer = new RequestFuzzer(Seed + 1);
        var (connection, outbox) = FakeConnection(sandbox, SandboxSocketKinds.MarketStreams);
        var session = new MarketStreamSession(sandbox.Server.Engine, connection, combined: true);

        var cases = 0;
        var errors = 0;
        for (; cases < InProcessCases; cases++)
        {
            var message = fuzzer.StreamMessage();
            if (message.Binary)
            {
                session.OnBinary();
            }
            else
            {
                await session.OnTextAsync(message.Text, CancellationToken.None);
            }

            Assert.True(outbox.TryDequeue(out var bytes), Describe(cases, message.Text, null));
            using var document = JsonDocument.Parse(bytes);
            var reply = document.RootElement;
            Assert.True(reply.TryGetProperty("id", out var id), Describe(cases, message.Text, reply));
            if (reply.TryGetProperty("error", out var error))
            {
                errors++;
                Assert.True(error.GetProperty("code").GetInt32() is >= 0 and <= 3 && error.GetProperty("msg").GetString()!.Length > 0, Describe(cases, message.Text, reply));
            }
            else
            {
                Assert.True(reply.TryGetProperty("result", out _), Describe(cases, message.Text, reply));
            }

            if (message.IdKnown)
            {
                Assert.True(id.GetRawText() == message.ExpectedIdJson, Describe(cases, message.Text, reply));
            }

            Assert.False(outbox.TryDequeue(out _), Describe(cases, message.Text, reply));
            Assert.False(outbox.IsClosed, Describe(cases, message.Text, reply));
        }

        session.Close();
        Report("market streams", cases, new() { [200] = cases - errors, [400] = errors });
        cases.Should().Be(InProcessCases);
        errors.Should().BeInRange(1, cases - 1);
    }

    [Fact]
    public async Task Rest_FuzzedQueriesAndBodies_NeverAnswer500()
    {
        await using var sandbox = await FuzzSandboxAsync();
        var fuzzer = new RequestFuzzer(Seed + 2);
        var statuses = new Dictionary<int, int>();

        var cases = 0;
        for (; cases < InProcessCases; cases++)
        {
            var request = fuzzer.RestRequest();
            var answer = await sandbox.Server.RestFace.HandleAsync(new RestCall(request.Method, request.Path, request.RawQuery, request.RawBody, request.ApiKey, "127.0.0.1"), CancellationToken.None);

            statuses[answer.Status] = statuses.GetValueOrDefault(answer.Status) + 1;
            var text = $"{request.Method} {request.Path}{request.RawQuery} body '{request.RawBody}' key {request.ApiKey}";
            Assert.True(answer.Status is 200 or 400 or 401 or 403 or 404 or 418 or 429, $"{text} → {answer.Status} {answer.Json}");
            using var document = JsonDocument.Parse(answer.Json);
            if (answer.Status != 200)
            {
                AssertBinanceError(document.RootElement, cases, text);
            }
        }

        Report("REST", cases, statuses);
        cases.Should().Be(InProcessCases);
        sandbox.Server.Diagnostics.UnexpectedErrors.Should().Be(0);
        statuses.Keys.Should().Contain([200, 400, 401, 404]);
    }

    [Fact]
    public async Task Control_FuzzedTradesAndFaults_NeverAnswer500AndApplyOnlyValidRequests()
    {
        await using var sandbox = await FuzzSandboxAsync();
        var fuzzer = new RequestFuzzer(Seed + 3);
        var statuses = new Dictionary<int, int>();
        var trades = 0;
        var invalid = new List<TradeEvent>();
        using var counting = sandbox.Server.Exchange.MarketTrades("XRPUSDT").Subscribe(t =>
        {
            trades++;
            if (t.Price <= 0 || t.Quantity <= 0)
            {
                invalid.Add(t);
            }
        });
        using var unknown = sandbox.Server.Exchange.MarketTrades("NOPE").Subscribe(invalid.Add);
        using var lowerCase = sandbox.Server.Exchange.MarketTrades("xrpusdt").Subscribe(invalid.Add);

        var cases = 0;
        for (; cases < InProcessCases; cases++)
        {
            var (path, query, body) = fuzzer.ControlRequest();
            var before = trades;
            var answer = await sandbox.Server.Control.HandleAsync("POST", path, query, body, CancellationToken.None);
            sandbox.Server.Faults.Clear();

            statuses[answer.Status] = statuses.GetValueOrDefault(answer.Status) + 1;
            var text = $"POST {path}{query} body '{body}'";
            Assert.True(answer.Status is 200 or 400 or 404, $"{text} → {answer.Status} {answer.Json}");
            using var document = JsonDocument.Parse(answer.Json);
            if (answer.Status != 200)
            {
                AssertBinanceError(document.RootElement, cases, text);
                Assert.True(trades == before, $"{text}: a rejected request published trades");
            }

            Assert.True(invalid.Count == 0, $"{text}: published {string.Join(", ", invalid)}");
        }

        output.WriteLine($"control: {trades} trades published by the accepted requests");
        Report("control", cases, statuses);
        cases.Should().Be(InProcessCases);
        sandbox.Server.Diagnostics.UnexpectedErrors.Should().Be(0);
        statuses.Keys.Should().Contain([200, 400]);
    }

    [Fact]
    public async Task WebSocketApi_FuzzedMessagesOverARealSocket_EachAnsweredAndSocketStaysOpen()
    {
        await using var sandbox = await FuzzSandboxAsync();
        var fuzzer = new RequestFuzzer(Seed + 4);
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);

        var cases = 0;
        for (; cases < RoundTrips; cases++)
        {
            var message = fuzzer.WebSocketApiMessage();
            using var timeout = new CancellationTokenSource(SandboxHarness.Timeout);
            await socket.SendAsync(Encoding.UTF8.GetBytes(message.Text), message.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, timeout.Token);
            await SandboxHarness.SendAsync(socket, $"{{\"id\":\"probe-{cases}\",\"method\":\"ping\"}}");

            // The answer to the case (and any executionReports), then the probe's: the connection is still serving.
            JsonElement reply;
            var answers = 0;
            do
            {
                reply = await SandboxHarness.ReceiveAsync(socket);
                if (reply.TryGetProperty("status", out var status))
                {
                    answers++;
                    Assert.True(status.GetInt32() != 500, Describe(cases, message.Text, reply));
                }
            }
            while (!(reply.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == $"probe-{cases}"));

            Assert.True(answers == 2, Describe(cases, message.Text, reply));
            Assert.True(socket.State == WebSocketState.Open, Describe(cases, message.Text, reply));
        }

        output.WriteLine($"WebSocket API over a real socket: {cases} cases (seed {Seed + 4})");
        cases.Should().Be(RoundTrips);
        sandbox.Server.Diagnostics.UnexpectedErrors.Should().Be(0);
    }

    [Fact]
    public async Task Rest_FuzzedRequestsOverHttp_NeverAnswer500()
    {
        await using var sandbox = await FuzzSandboxAsync();
        var fuzzer = new RequestFuzzer(Seed + 5);

        var cases = 0;
        for (; cases < RoundTrips; cases++)
        {
            var request = fuzzer.RestRequest();
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.RawQuery);
            if (request.RawBody.Length > 0)
            {
                message.Content = new StringContent(request.RawBody, Encoding.UTF8, "application/x-www-form-urlencoded");
            }

            if (request.ApiKey is { } key && key.All(c => c is > ' ' and < (char)127))
            {
                message.Headers.TryAddWithoutValidation("X-MBX-APIKEY", key);
            }

            var response = await sandbox.Http.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode != HttpStatusCode.InternalServerError, $"{request} → {body}");
            if (body.Length > 0)
            {
                using var document = JsonDocument.Parse(body);
            }
        }

        output.WriteLine($"REST over HTTP: {cases} cases (seed {Seed + 5})");
        cases.Should().Be(RoundTrips);
        sandbox.Server.Diagnostics.UnexpectedErrors.Should().Be(0);
    }

    // Weight limits off so every case reaches the handlers; plenty of both assets so orders rest and fill.
    private static Task<SandboxHarness> FuzzSandboxAsync() => SandboxHarness.StartAsync(o =>
    {
        o.RequestWeightPerMinute = int.MaxValue;
        o.MaxIncomingMessagesPerSecond = int.MaxValue; // thousands of messages in process, not a client breaking the limit
        o.Balances["USDT"] = 1_000_000_000m;
        o.Balances["XRP"] = 1_000_000_000m;
    });

    // A connection whose socket never runs: what the session sends stays in its outbox for the test to read.
    private static (SocketConnection Connection, SendQueue Outbox) FakeConnection(SandboxHarness sandbox, SandboxSocketKinds kind)
    {
        var diagnostics = sandbox.Server.Diagnostics;
        var outbox = new SendQueue(1_000_000, 1L << 30, diagnostics);
        var socket = WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true });
        return (new SocketConnection(socket, kind, outbox, diagnostics, NullLogger.Instance), outbox);
    }

    // Exactly one answer ({"id","status",...}); executionReports of the session's subscriptions may come with it.
    private static JsonElement SingleResponse(SendQueue outbox, int index, string input)
    {
        JsonElement? response = null;
        while (outbox.TryDequeue(out var bytes))
        {
            using var document = JsonDocument.Parse(bytes);
            var message = document.RootElement.Clone();
            if (message.TryGetProperty("subscriptionId", out _) && message.TryGetProperty("event", out _))
            {
                continue;
            }

            Assert.True(response is null, Describe(index, input, message));
            response = message;
        }

        Assert.True(response is not null, Describe(index, input, null));
        return response!.Value;
    }

    private static void AssertBinanceError(JsonElement error, int index, string input) =>
        Assert.True(
            error.ValueKind == JsonValueKind.Object && error.GetProperty("code").GetInt32() < 0 && error.GetProperty("msg").GetString() is { Length: > 0 },
            Describe(index, input, error));

    private static string Describe(int index, string input, JsonElement? answer) =>
        $"case {index} (seed {Seed}): {(input.Length > 300 ? input[..300] + "…" : input)} → {answer?.ToString() ?? "no answer"}";

    private void Report(string face, int cases, Dictionary<int, int> statuses) =>
        output.WriteLine($"{face}: {cases} cases (seeds from {Seed}), answers by status: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
}
