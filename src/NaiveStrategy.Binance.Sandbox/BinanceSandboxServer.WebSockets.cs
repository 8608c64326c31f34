using Microsoft.AspNetCore.Http;
using NaiveStrategy.Binance.Sandbox.Internal;

namespace NaiveStrategy.Binance.Sandbox;

// The WebSocket face: accepting connections (WebSocket API and market streams), the open connections, and dropping
// them (faults, serverShutdown, disposal).
public sealed partial class BinanceSandboxServer
{
    /// <summary>WebSocket connections of <paramref name="kind"/> accepted since the start (both kinds for <see cref="SandboxSocketKinds.All"/>).</summary>
    public long ConnectionsAccepted(SandboxSocketKinds kind) =>
        (kind.HasFlag(SandboxSocketKinds.WebSocketApi) ? Interlocked.Read(ref _webSocketApiAccepted) : 0)
        + (kind.HasFlag(SandboxSocketKinds.MarketStreams) ? Interlocked.Read(ref _marketStreamsAccepted) : 0);

    /// <summary>WebSocket connections of <paramref name="kinds"/> open now: a test waits for a client to connect or for a connection to close.</summary>
    public int OpenConnections(SandboxSocketKinds kinds) => _sockets.Keys.Count(s => (s.Kind & kinds) != 0);

    /// <summary>
    /// Binance is about to shut the server down: every open connection of <paramref name="kinds"/> gets a
    /// <c>serverShutdown</c> event (WebSocket API: <c>{"event":…}</c>; combined streams: stream <c>!serverShutdown</c>;
    /// raw streams: the bare event), and is dropped <paramref name="closeAfter"/> later.
    /// </summary>
    /// <returns>How many connections were told.</returns>
    public int SendServerShutdown(SandboxSocketKinds kinds, TimeSpan closeAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(closeAfter, TimeSpan.Zero);
        var told = _sockets.Where(s => (s.Key.Kind & kinds) != 0).ToArray();
        var shutdown = new System.Text.Json.Nodes.JsonObject { ["e"] = "serverShutdown", ["E"] = _engine.NowMs };
        foreach (var (socket, combined) in told)
        {
            socket.TrySend(socket.Kind == SandboxSocketKinds.WebSocketApi ? new System.Text.Json.Nodes.JsonObject { ["event"] = shutdown.DeepClone() }.ToJsonString()
                : combined == 1 ? new System.Text.Json.Nodes.JsonObject { ["stream"] = "!serverShutdown", ["data"] = shutdown.DeepClone() }.ToJsonString()
                : shutdown.ToJsonString());
        }

        _ = AbortLaterAsync(told.Select(t => t.Key).ToArray(), closeAfter);
        return told.Length;
    }

    private async Task AbortLaterAsync(SocketConnection[] sockets, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _options.TimeProvider, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        foreach (var socket in sockets)
        {
            socket.Abort();
        }
    }

    private void DropWebSockets(SandboxSocketKinds kinds)
    {
        var victims = _sockets.Keys.Where(s => (s.Kind & kinds) != 0).ToArray();
        if (victims.Length > 0)
        {
            Log.Dropping(_logger, victims.Length, kinds);
        }

        foreach (var socket in victims)
        {
            socket.Abort();
        }
    }

    private async Task HandleWebSocketAsync(HttpContext context, string path)
    {
        var kind = path == "/ws-api/v3" ? SandboxSocketKinds.WebSocketApi
            : path == "/ws" || path.StartsWith("/ws/", StringComparison.Ordinal) || path == "/stream" ? SandboxSocketKinds.MarketStreams
            : SandboxSocketKinds.None;
        if (kind == SandboxSocketKinds.None)
        {
            context.Response.StatusCode = 404;
            return;
        }

        var combined = path == "/stream";
        string[] streams = [];
        if (kind == SandboxSocketKinds.MarketStreams)
        {
            streams = MarketStreamSession.ParseStreams(combined ? context.Request.Query["streams"].ToString() : path.Length > 4 ? path[4..] : null);
            if (MarketStreamSession.Check(streams) is { } refused)
            {
                context.Response.StatusCode = 400;
                context.Response.ContentType = "application/json;charset=UTF-8";
                await context.Response.WriteAsync(new ApiError(400, -1100, refused).ToJson().ToJsonString(), context.RequestAborted);
                return;
            }
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var outbox = new SendQueue(_options.MaxQueuedMessagesPerConnection, _options.MaxQueuedBytesPerConnection, Diagnostics);
        var connection = new SocketConnection(socket, kind, outbox, Diagnostics, _logger);
        _sockets[connection] = combined ? (byte)1 : (byte)0;
        Diagnostics.ConnectionOpened();
        Interlocked.Increment(ref kind == SandboxSocketKinds.WebSocketApi ? ref _webSocketApiAccepted : ref _marketStreamsAccepted);
        Log.SocketOpened(_logger, kind);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted);
        try
        {
            if (kind == SandboxSocketKinds.WebSocketApi)
            {
                var session = new WebSocketApiSession(_engine, connection, Ip(context), TimeUnits.IsMicrosecond(context.Request.Query["timeUnit"].ToString()));
                try
                {
                    await connection.RunAsync(session, Faults.DropAfter(kind), _options.TimeProvider, linked.Token);
                }
                finally
                {
                    session.Close();
                }
            }
            else
            {
                var session = new MarketStreamSession(_engine, connection, combined);
                session.Subscribe(streams);
                try
                {
                    await connection.RunAsync(session, Faults.DropAfter(kind), _options.TimeProvider, linked.Token);
                }
                finally
                {
                    session.Close();
                }
            }
        }
        finally
        {
            _sockets.TryRemove(connection, out _);
            Diagnostics.ConnectionClosed();
            Log.SocketClosed(_logger, kind);
        }
    }
}
