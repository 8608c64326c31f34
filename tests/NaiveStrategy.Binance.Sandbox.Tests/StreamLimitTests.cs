using System.Net.WebSockets;

namespace NaiveStrategy.Binance.Sandbox.Tests;

/// <summary>Binance's market stream limits (web-socket-streams.md, "WebSocket Limits") and its serverShutdown event.</summary>
public sealed class StreamLimitTests
{
    [Fact]
    public async Task StreamMessages_SixInOneSecond_Disconnected()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.StreamBaseUrl + "/stream?streams=");

        for (var i = 1; i <= 5; i++)
        {
            await SandboxHarness.SendAsync(socket, $"{{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":{i}}}");
            (await SandboxHarness.ReceiveAsync(socket)).GetProperty("id").GetInt32().Should().Be(i);
        }

        await SandboxHarness.SendAsync(socket, "{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":6}");
        var act = async () => await SandboxHarness.ReceiveAsync(socket);

        await act.Should().ThrowAsync<WebSocketException>("the sixth message within a second breaks the limit of 5");
    }

    [Fact]
    public async Task Subscribe_MoreThan1024Streams_RefusedWithError()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.StreamBaseUrl + "/stream?streams=");
        var names = string.Join(',', Enumerable.Range(0, 1025).Select(i => $"\"s{i}usdt@trade\""));

        await SandboxHarness.SendAsync(socket, $"{{\"method\":\"SUBSCRIBE\",\"params\":[{names}],\"id\":1}}");
        var reply = await SandboxHarness.ReceiveAsync(socket);

        reply.GetProperty("error").GetProperty("code").GetInt32().Should().Be(2);
    }

    [Theory]
    [InlineData("combined")]
    [InlineData("raw")]
    [InlineData("ws-api")]
    public async Task SendServerShutdown_EachKind_EventInItsShapeThenDropped(string kind)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var socket = await sandbox.ConnectAsync(kind switch
        {
            "combined" => sandbox.Server.StreamBaseUrl + "/stream?streams=xrpusdt@trade",
            "raw" => sandbox.Server.StreamBaseUrl + "/ws/xrpusdt@trade",
            _ => sandbox.Server.WebSocketApiUrl,
        });

        sandbox.Server.SendServerShutdown(SandboxSocketKinds.All, TimeSpan.FromMilliseconds(200)).Should().Be(1);
        var message = await SandboxHarness.ReceiveAsync(socket);

        var shutdown = kind switch
        {
            "combined" => message.GetProperty("data"),
            "raw" => message,
            _ => message.GetProperty("event"),
        };
        shutdown.GetProperty("e").GetString().Should().Be("serverShutdown");
        if (kind == "combined")
        {
            message.GetProperty("stream").GetString().Should().Be("!serverShutdown");
        }

        var act = async () => await SandboxHarness.ReceiveAsync(socket);
        await act.Should().ThrowAsync<WebSocketException>();
        socket.State.Should().NotBe(WebSocketState.Open);
    }
}
