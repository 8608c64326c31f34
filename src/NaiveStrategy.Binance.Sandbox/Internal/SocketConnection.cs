using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// One accepted WebSocket: a single writer loop drains an outbox so any thread can send without locking,
/// and a reader loop hands each message to the session. Aborting it is how faults drop connections.
/// </summary>
internal sealed class SocketConnection(WebSocket socket, SandboxSocketKinds kind, SandboxDiagnostics diagnostics, ILogger logger)
{
    private const int MaxMessageBytes = 1 << 20;
    private readonly Channel<string> _outbox = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _aborted = new();

    public SandboxSocketKinds Kind { get; } = kind;

    public bool TrySend(string text) => _outbox.Writer.TryWrite(text);

    /// <summary>Drops the connection without a close frame.</summary>
    public void Abort()
    {
        _outbox.Writer.TryComplete();
        socket.Abort();
        try
        {
            _aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    /// <summary>Runs until the client closes, the connection is aborted, or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(ISocketSession session, TimeSpan? dropAfter, TimeProvider time, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _aborted.Token);
        using var drop = dropAfter is { } after ? time.CreateTimer(_ => Abort(), null, after, Timeout.InfiniteTimeSpan) : null;
        var writer = WriteLoopAsync(linked.Token);
        try
        {
            await ReadLoopAsync(session, linked.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Client went away, aborted, or server stopping.
        }
        finally
        {
            _outbox.Writer.TryComplete();
            await writer;
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
                {
                    socket.Abort();
                }
            }

            _aborted.Dispose();
        }
    }

    private async Task ReadLoopAsync(ISocketSession session, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(8192);
        try
        {
            using var message = new MemoryStream();
            while (!cancellationToken.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (message.Length > MaxMessageBytes)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "message too big", cancellationToken);
                    return;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                try
                {
                    if (result.MessageType == WebSocketMessageType.Text)
                    {
                        await session.OnTextAsync(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length), cancellationToken);
                    }
                    else
                    {
                        session.OnBinary();
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Sessions answer bad input themselves; this is the last guard so a sandbox bug cannot end the connection.
                    diagnostics.UnexpectedError();
                    Log.UnexpectedError(logger, Kind.ToString(), ex);
                }

                message.SetLength(0);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var text in _outbox.Reader.ReadAllAsync(cancellationToken))
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The reader side notices the end of the connection.
        }
    }
}
