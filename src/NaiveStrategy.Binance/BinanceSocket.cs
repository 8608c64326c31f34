using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Binance;

// One WebSocket, kept alive: reconnects with exponential backoff after a drop and proactively before
// Binance's 24 h limit. ClientWebSocket answers the server's pings itself. Transport only: what a
// message means is the caller's. The backoff starts again from its first step only after a connection
// the caller called healthy (a confirmed subscription, not a sent request: a refused one must not
// reconnect every 250 ms), or any connection when healthyOnConnect; each wait is jittered (75-100 %)
// so that sockets dropped together do not come back together.
// reconnectWanted, asked after a drop, ends the loop when it says no (a connection being handed over).
internal sealed class BinanceSocket(string name, Func<Uri> url, TimeSpan reconnectEvery, TimeProvider time, ILogger logger, bool healthyOnConnect = true, ConnectionAttempts? attempts = null, Func<bool>? reconnectWanted = null)
{
    private volatile bool _healthy;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>The current connection does what it is for: the next drop starts the backoff again from its first step.</summary>
    public void MarkHealthy() => _healthy = true;

    public async Task RunAsync(Func<ClientWebSocket, Task>? onConnected, Func<JsonDocument, Task> onMessage, CancellationToken cancellationToken, CancellationToken disposing)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposing);
        var token = linked.Token;
        var backoff = FirstBackoff;
        var buffer = new byte[1 << 16];
        while (!token.IsCancellationRequested)
        {
            string reason;
            _healthy = false;
            using var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
            using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(token);
            lifetime.CancelAfter(reconnectEvery);
            try
            {
                if (attempts is not null)
                {
                    await attempts.WaitAsync(lifetime.Token);
                }

                await socket.ConnectAsync(url(), lifetime.Token);
                Log.Connected(logger, name);
                if (healthyOnConnect)
                {
                    MarkHealthy();
                }

                if (onConnected is not null)
                {
                    await onConnected(socket);
                }
                using var message = new MemoryStream();
                while (socket.State == WebSocketState.Open)
                {
                    var received = await socket.ReceiveAsync(buffer, lifetime.Token);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    message.Write(buffer, 0, received.Count);
                    if (!received.EndOfMessage)
                    {
                        continue;
                    }

                    try
                    {
                        using var document = JsonDocument.Parse(message.GetBuffer().AsMemory(0, (int)message.Length));
                        await onMessage(document);
                    }
                    catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException)
                    {
                        Log.BadMessage(logger, name, ex.Message);
                    }

                    message.SetLength(0);
                }

                reason = "closed by the server";
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException) when (_healthy)
            {
                reason = "24 h limit";
                backoff = TimeSpan.Zero;
            }
            catch (OperationCanceledException)
            {
                reason = "no confirmation before the 24 h limit";
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException or InvalidOperationException)
            {
                reason = ex.Message;
            }

            if (reconnectWanted?.Invoke() == false)
            {
                Log.NotReconnecting(logger, name, reason);
                return;
            }

            if (_healthy && backoff > FirstBackoff)
            {
                backoff = FirstBackoff;
            }

            var delay = TimeSpan.FromTicks((long)(backoff.Ticks * (0.75 + (Random.Shared.NextDouble() * 0.25))));
            Log.Reconnecting(logger, name, reason, delay);
            try
            {
                await Task.Delay(delay, time, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(Math.Max(backoff.Ticks * 2, FirstBackoff.Ticks), MaxBackoff.Ticks));
        }
    }
}
