using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// One accepted WebSocket: a single writer loop drains a bounded outbox so any thread can send without locking,
/// and a reader loop hands each message to the session. Aborting it is how faults drop connections. A client whose
/// outbox goes over its bound is a slow consumer: its queue is dropped at once, it gets a close frame
/// (1008, policy violation) once the socket accepts one, and the connection is aborted if the close handshake has
/// not finished within <see cref="CloseTimeout"/>.
/// </summary>
internal sealed class SocketConnection
{
    /// <summary>How long a slow consumer has to complete the close handshake before the connection is aborted.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    private const int MaxMessageBytes = 1 << 20;
    private readonly WebSocket _socket;
    private readonly SandboxDiagnostics _diagnostics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _aborted = new();
    private readonly CancellationTokenSource _closeDeadline = new();

    public SocketConnection(WebSocket socket, SandboxSocketKinds kind, SendQueue outbox, SandboxDiagnostics diagnostics, ILogger logger)
    {
        _socket = socket;
        Kind = kind;
        Outbox = outbox;
        _diagnostics = diagnostics;
        _logger = logger;
        _closeDeadline.Token.Register(Abort);
    }

    public SandboxSocketKinds Kind { get; }

    /// <summary>Messages not yet handed to the socket.</summary>
    public SendQueue Outbox { get; }

    /// <summary>Queues a message; false when the connection is closing or this message made it a slow consumer.</summary>
    public bool TrySend(string text)
    {
        switch (Outbox.TryEnqueue(Encoding.UTF8.GetBytes(text)))
        {
            case EnqueueResult.Queued:
                return true;
            case EnqueueResult.Overflowed:
                _diagnostics.SlowConsumerDisconnected();
                Log.SlowConsumer(_logger, Kind, Outbox.MaxMessages, Outbox.MaxBytes);
                try
                {
                    _closeDeadline.CancelAfter(CloseTimeout);
                }
                catch (ObjectDisposedException)
                {
                    // Already finished.
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>Drops the connection without a close frame.</summary>
    public void Abort()
    {
        Outbox.Discard();
        _socket.Abort();
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
            Outbox.Complete();
            await writer;
            if (!Outbox.Overflowed && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
                {
                    _socket.Abort();
                }
            }

            // Whatever the writer did not get to is released with the connection.
            Outbox.Discard();
            _closeDeadline.Dispose();
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
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (message.Length > MaxMessageBytes)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "message too big", cancellationToken);
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
                    _diagnostics.UnexpectedError();
                    Log.UnexpectedError(_logger, Kind.ToString(), ex);
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
            while (await Outbox.WaitToReadAsync(cancellationToken))
            {
                while (Outbox.TryDequeue(out var message))
                {
                    await _socket.SendAsync(message, WebSocketMessageType.Text, true, cancellationToken);
                }
            }

            if (Outbox.Overflowed)
            {
                var reason = string.Create(CultureInfo.InvariantCulture, $"slow consumer: over {Outbox.MaxMessages} messages or {Outbox.MaxBytes} bytes queued");
                await _socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, reason, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The reader side notices the end of the connection.
        }
    }
}
