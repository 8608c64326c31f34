using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using NaiveStrategy.Binance.Sandbox.Internal;

namespace NaiveStrategy.Binance.Sandbox.Tests;

public sealed class SlowConsumerTests(ITestOutputHelper output)
{
    [Fact]
    public void TryEnqueue_OverMessageBound_OverflowsEmptiesAndCloses()
    {
        var diagnostics = new SandboxDiagnostics();
        var queue = new SendQueue(3, 1 << 20, diagnostics);

        var results = Enumerable.Range(0, 4).Select(_ => queue.TryEnqueue(new byte[10])).ToArray();
        var after = queue.TryEnqueue(new byte[10]);

        results.Should().Equal(EnqueueResult.Queued, EnqueueResult.Queued, EnqueueResult.Queued, EnqueueResult.Overflowed);
        after.Should().Be(EnqueueResult.Closed);
        queue.Overflowed.Should().BeTrue();
        (queue.Count, queue.Bytes).Should().Be((0, 0L));
        (diagnostics.QueuedMessages, diagnostics.QueuedBytes).Should().Be((0L, 0L));
    }

    [Fact]
    public void TryEnqueue_OverByteBound_Overflows()
    {
        var queue = new SendQueue(1000, 100, new SandboxDiagnostics());

        var first = queue.TryEnqueue(new byte[60]);
        var second = queue.TryEnqueue(new byte[60]);

        (first, second).Should().Be((EnqueueResult.Queued, EnqueueResult.Overflowed));
        queue.Bytes.Should().Be(0);
    }

    [Fact]
    public async Task WaitToReadAsync_QueuedThenCompleted_DrainsInOrderThenEnds()
    {
        var diagnostics = new SandboxDiagnostics();
        var queue = new SendQueue(10, 1000, diagnostics);
        queue.TryEnqueue([1]);
        queue.TryEnqueue([2, 2]);
        diagnostics.QueuedBytes.Should().Be(3);
        queue.Complete();

        var drained = new List<byte[]>();
        while (await queue.WaitToReadAsync(CancellationToken.None))
        {
            while (queue.TryDequeue(out var message))
            {
                drained.Add(message);
            }
        }

        drained.Select(m => m.Length).Should().Equal(1, 2);
        queue.TryEnqueue([3]).Should().Be(EnqueueResult.Closed);
        (diagnostics.QueuedMessages, diagnostics.QueuedBytes).Should().Be((0L, 0L));
    }

    [Fact]
    public async Task WaitToReadAsync_EmptyThenEnqueued_Wakes()
    {
        var queue = new SendQueue(10, 1000, new SandboxDiagnostics());
        var waiting = queue.WaitToReadAsync(CancellationToken.None).AsTask();

        queue.TryEnqueue([1]);

        (await waiting.WaitAsync(SandboxHarness.Timeout)).Should().BeTrue();
    }

    [Fact]
    public void Discard_Queued_ReleasesEverything()
    {
        var diagnostics = new SandboxDiagnostics();
        var queue = new SendQueue(10, 1000, diagnostics);
        queue.TryEnqueue(new byte[100]);
        queue.TryEnqueue(new byte[100]);

        queue.Discard();

        (queue.Count, queue.IsClosed, queue.Overflowed).Should().Be((0, true, false));
        (diagnostics.QueuedMessages, diagnostics.QueuedBytes).Should().Be((0L, 0L));
    }

    [Theory]
    [InlineData(0, 1L << 20, "MaxQueuedMessagesPerConnection")]
    [InlineData(100, 1000L, "MaxQueuedBytesPerConnection")]
    public void Validate_QueueBoundOutOfRange_ThrowsNamingIt(int messages, long bytes, string name)
    {
        var options = new SandboxOptions { MaxQueuedMessagesPerConnection = messages, MaxQueuedBytesPerConnection = bytes };
        options.ApiKeys.Add(new SandboxApiKey("k", "s"));

        var validate = options.Validate;

        validate.Should().Throw<ArgumentException>().WithMessage($"*{name}*");
    }

    [Fact]
    public async Task TradeStream_ClientNeverReads_DisconnectedWithPolicyViolationQueueReleasedReaderKeptServing()
    {
        const int bound = 1_000;
        const int batch = 100;
        const int maxTrades = 2_000_000;
        await using var sandbox = await SandboxHarness.StartAsync(o => o.MaxQueuedMessagesPerConnection = bound);
        var server = sandbox.Server;
        var diagnostics = server.Diagnostics;
        using var reader = await sandbox.ConnectAsync(server.StreamBaseUrl + "/ws/xrpusdt@trade");
        await EventuallyAsync(() => diagnostics.OpenConnections == 1);
        var readerConnection = server.Connections.Single();
        using var slow = await sandbox.ConnectAsync(server.StreamBaseUrl + "/ws/xrpusdt@trade");
        await EventuallyAsync(() => diagnostics.OpenConnections == 2);
        var slowConnection = server.Connections.Single(c => c != readerConnection);
        using var stopReading = new CancellationTokenSource();
        var read = CountMessagesAsync(reader, stopReading.Token);

        // Both get every trade; one reads, one never does. Batches wait for the reader's queue to empty, so only the
        // slow client's queue can grow: once its socket buffers are full, it goes over the bound. Bounded in trades.
        var published = 0;
        while (diagnostics.SlowConsumerDisconnects == 0 && published < maxTrades)
        {
            for (var i = 0; i < batch; i++)
            {
                sandbox.Trade(0.5m, 1m, id: ++published);
            }

            await EventuallyAsync(() => readerConnection.Outbox.Count == 0 || diagnostics.SlowConsumerDisconnects > 0, poll: TimeSpan.FromMilliseconds(1));
        }

        output.WriteLine($"slow consumer cut off after {published} trades");
        diagnostics.SlowConsumerDisconnects.Should().Be(1, $"{published} trades were published");
        slowConnection.Outbox.Should().BeEquivalentTo(new { Count = 0, Bytes = 0L, IsClosed = true, Overflowed = true });
        readerConnection.Outbox.IsClosed.Should().BeFalse();
        var (buffered, closeStatus, closeReason) = await DrainUntilCloseAsync(slow, maxMessages: published);
        output.WriteLine($"the slow client then read {buffered} buffered trades and a close frame {closeStatus} '{closeReason}'");
        closeStatus.Should().Be(WebSocketCloseStatus.PolicyViolation);
        closeReason.Should().Contain("slow consumer");
        buffered.Should().BeLessThan(published);
        await slow.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await EventuallyAsync(() => diagnostics.OpenConnections == 1);
        server.Connections.Should().Equal(readerConnection);

        sandbox.Trade(0.5m, 1m, id: ++published);
        await EventuallyAsync(() => Volatile.Read(ref _readerCount) == published);
        await stopReading.CancelAsync();
        await read;
        diagnostics.QueuedMessages.Should().Be(0);
        diagnostics.QueuedBytes.Should().Be(0);
        (await sandbox.Http.GetAsync("/api/v3/ping")).StatusCode.Should().Be(HttpStatusCode.OK);
        diagnostics.UnexpectedErrors.Should().Be(0);
    }

    [Fact]
    public async Task ReplayAsync_SpeedZeroBurstFarOverTheBound_ReaderGetsEveryTradeAndStaysConnected()
    {
        const int bound = 100;
        const int trades = 20_000;
        await using var sandbox = await SandboxHarness.StartAsync(o => o.MaxQueuedMessagesPerConnection = bound);
        using var reader = await sandbox.ConnectAsync(sandbox.Server.StreamBaseUrl + "/ws/xrpusdt@trade");
        await EventuallyAsync(() => sandbox.Server.Diagnostics.OpenConnections == 1);
        using var stopReading = new CancellationTokenSource();
        var read = CountMessagesAsync(reader, stopReading.Token);
        var start = DateTimeOffset.UtcNow;

        var published = await sandbox.Server.ReplayAsync(Enumerable.Range(1, trades).Select(i => new TradeEvent("XRPUSDT", i, 0.5m, 1m, start)), speed: 0);
        await EventuallyAsync(() => Volatile.Read(ref _readerCount) == trades);
        await stopReading.CancelAsync();
        await read;

        published.Should().Be(trades);
        sandbox.Server.Diagnostics.SlowConsumerDisconnects.Should().Be(0);
    }

    [Fact]
    public async Task UserDataStream_ReportsOverTheBound_CountsASlowConsumerAndDropsItsQueue()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.Balances["USDT"] = 1_000_000m);
        var diagnostics = sandbox.Server.Diagnostics;
        using var socket = WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true });
        var connection = new SocketConnection(socket, SandboxSocketKinds.WebSocketApi, new SendQueue(2, 1 << 20, diagnostics), diagnostics, NullLogger.Instance);
        var subscription = sandbox.Server.Engine.Subscribe(connection);

        // Nothing drains this connection (no writer runs): three NEW executionReports for a queue of two.
        for (var i = 0; i < 3; i++)
        {
            await sandbox.PlaceAsync($"flood-{i}");
        }

        diagnostics.SlowConsumerDisconnects.Should().Be(1);
        connection.Outbox.Should().BeEquivalentTo(new { Count = 0, Bytes = 0L, IsClosed = true, Overflowed = true });
        diagnostics.QueuedMessages.Should().Be(0);
        sandbox.Server.Engine.Unsubscribe(subscription);
    }

    private int _readerCount;

    private async Task CountMessagesAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.EndOfMessage)
                {
                    Interlocked.Increment(ref _readerCount);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Done reading.
        }
    }

    // Reads what the socket buffers held, then the close frame.
    private static async Task<(int Messages, WebSocketCloseStatus? Status, string? Reason)> DrainUntilCloseAsync(ClientWebSocket socket, int maxMessages)
    {
        var buffer = new byte[64 * 1024];
        var messages = 0;
        while (messages <= maxMessages)
        {
            using var timeout = new CancellationTokenSource(SandboxHarness.Timeout);
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (messages, result.CloseStatus, result.CloseStatusDescription);
            }

            if (result.EndOfMessage)
            {
                messages++;
            }
        }

        throw new InvalidOperationException($"No close frame after {messages} messages.");
    }

    // Bounded wait for a state the server reaches asynchronously; asserts the state, never a duration.
    private static async Task EventuallyAsync(Func<bool> condition, TimeSpan? poll = null)
    {
        using var timer = new PeriodicTimer(poll ?? TimeSpan.FromMilliseconds(20));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await timer.WaitForNextTickAsync();
        }

        condition().Should().BeTrue();
    }
}
