using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Binance.Sandbox.Tests;

// Issue #24: strictness is not optional. With every fault kind on, each strict rule answers as it does without faults:
// a fault may answer in a rule's place (a 418/429, a -1021, an archived -2026: retried here), never lets through what
// the rule refuses.
public sealed class FaultsRelaxNothingTests
{
    private const string EveryFault = "delay=1ms,order5xx=1,order5xx-status=500,429=1,418=1,retry-after=1s,timestamp=1,drop-ws-api=60m,drop-streams=60m,order-unknown=1,archived=1,duplicate,reorder";

    [Fact]
    public async Task StrictRules_EveryFaultKindOn_AnswerAsWithoutFaults()
    {
        var clean = await RulesAsync(faults: null);

        var faulty = await RulesAsync(EveryFault);

        faulty.Should().Equal(clean);
        clean.Should().Equal(
            "STP mode: 400 -1013",
            "order rate: 429 -1015",
            "-2039: 400 -2039",
            "signature: 400 -1022",
            "µs time: 200 16 digits",
            "time unit: 400 -1194",
            "STP expire taker: Expired",
            "one subscription: 400 -2035");
    }

    private static async Task<List<string>> RulesAsync(string? faults)
    {
        await using var sandbox = await SandboxHarness.StartAsync(o =>
        {
            o.Faults = SandboxFaultOptions.Parse(faults);
            o.OrdersPerDay = 3;
            o.Balances["XRP"] = 1000m;
            o.AllowedSelfTradePreventionModes.Remove(SelfTradePreventionMode.Decrement);
        });
        var answers = new List<string>();

        answers.Add("STP mode: " + await Until(() => Rest(PlaceAsync(sandbox, "e-1", "SELL", "0.5", "DECREMENT"))));
        await Until(() => Rest(sandbox.PlaceAsync("a-1", "BUY", "0.5", "100")));
        await Until(() => Rest(sandbox.PlaceAsync("b-1", "BUY", "0.4", "100")));
        await Until(() => Rest(PlaceAsync(sandbox, "c-1", "SELL", "0.5", "EXPIRE_TAKER")));
        answers.Add("order rate: " + await Until(() => Rest(sandbox.PlaceAsync("d-1", "BUY", "0.3", "100"))));

        var a = sandbox.Server.Exchange.Orders.Single(o => o.ClientOrderId == "a-1");
        answers.Add("-2039: " + await Until(() => Rest(sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/order", $"symbol=XRPUSDT&orderId={a.OrderId}&origClientOrderId=b-1"))));
        answers.Add("signature: " + await Until(() => Rest(BadSignatureAsync(sandbox))));
        answers.Add("µs time: " + await Until(() => TimeAsync(sandbox, "MICROSECOND")));
        answers.Add("time unit: " + await Until(() => TimeAsync(sandbox, "NANOSECOND")));
        answers.Add("STP expire taker: " + sandbox.Server.Exchange.Orders.Single(o => o.ClientOrderId == "c-1").Status);
        answers.Add("one subscription: " + await SecondSubscriptionAsync(sandbox));
        return answers;
    }

    // Retries while a fault answers in the rule's place; any other answer is the rule's.
    private static async Task<string> Until(Func<Task<string>> send)
    {
        for (var attempt = 0; ; attempt++)
        {
            var answer = await send();
            if (attempt >= 6 || !(answer.EndsWith(" -1003", StringComparison.Ordinal) || answer.EndsWith(" -1021", StringComparison.Ordinal) || answer.EndsWith(" -2026", StringComparison.Ordinal)))
            {
                return answer;
            }
        }
    }

    private static async Task<string> Rest(Task<(HttpResponseMessage Response, JsonElement Json)> call)
    {
        var (response, json) = await call;
        var code = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("code", out var c) ? " " + c.GetInt32().ToString(CultureInfo.InvariantCulture) : string.Empty;
        return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) + code;
    }

    private static Task<(HttpResponseMessage Response, JsonElement Json)> PlaceAsync(SandboxHarness sandbox, string id, string side, string price, string mode) =>
        sandbox.SignedJsonAsync(HttpMethod.Post, "/api/v3/order", $"symbol=XRPUSDT&side={side}&type=LIMIT&timeInForce=GTC&quantity=100&price={price}&newClientOrderId={id}&selfTradePreventionMode={mode}");

    private static async Task<(HttpResponseMessage Response, JsonElement Json)> BadSignatureAsync(SandboxHarness sandbox)
    {
        var query = "timestamp=" + SandboxHarness.Now.ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v3/account?{query}&signature={SandboxHarness.Sign(query, "another-secret")}");
        request.Headers.Add("X-MBX-APIKEY", SandboxHarness.ApiKey);
        var response = await sandbox.Http.SendAsync(request);
        return (response, await SandboxHarness.JsonAsync(response));
    }

    private static async Task<string> TimeAsync(SandboxHarness sandbox, string unit)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v3/time");
        request.Headers.Add("X-MBX-TIME-UNIT", unit);
        var response = await sandbox.Http.SendAsync(request);
        var json = await SandboxHarness.JsonAsync(response);
        return json.TryGetProperty("serverTime", out var time)
            ? $"{(int)response.StatusCode} {time.GetInt64().ToString(CultureInfo.InvariantCulture).Length} digits"
            : await Rest(Task.FromResult((response, json)));
    }

    private static async Task<string> SecondSubscriptionAsync(SandboxHarness sandbox)
    {
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);
        await Until(() => SubscribeAsync(socket, "sub-1"));
        return await Until(() => SubscribeAsync(socket, "sub-2"));
    }

    private static async Task<string> SubscribeAsync(ClientWebSocket socket, string id)
    {
        await SandboxHarness.SendAsync(socket, SandboxHarness.SignedWebSocketRequest(id, "userDataStream.subscribe.signature", []));
        var answer = await SandboxHarness.ReceiveAsync(socket);
        var status = answer.GetProperty("status").GetInt32().ToString(CultureInfo.InvariantCulture);
        return answer.TryGetProperty("error", out var error) ? status + " " + error.GetProperty("code").GetInt32().ToString(CultureInfo.InvariantCulture) : status;
    }
}
