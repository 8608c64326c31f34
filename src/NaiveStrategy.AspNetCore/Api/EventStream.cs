using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace NaiveStrategy.AspNetCore;

/// <summary>
/// <c>GET /api/events</c>: the engine's events as Server-Sent Events (<c>event: orderPlaced</c>, <c>data: {json}</c>),
/// a keep-alive comment while nothing happens. A slow client loses the oldest events, never slows the engine.
/// </summary>
internal static class EventStream
{
    private const int Buffered = 1024;

    public static async Task WriteAsync(HttpContext context, NaiveStrategyEngine engine, IOptions<NaiveStrategyApiOptions> options)
    {
        var cancellationToken = context.RequestAborted;
        var channel = Channel.CreateBounded<StrategyEvent>(new BoundedChannelOptions(Buffered) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        using var subscription = engine.Events.Subscribe(new Forward(channel.Writer));

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync(": connected\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);

        var keepAlive = options.Value.EventsKeepAlive;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(keepAlive);
                bool more;
                try
                {
                    more = await channel.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    continue;
                }

                if (!more)
                {
                    break; // the engine was disposed
                }

                while (channel.Reader.TryRead(out var e))
                {
                    var view = EventView.Of(e);
                    await response.WriteAsync($"event: {view.Type}\ndata: {JsonSerializer.Serialize(view, ApiJson.Options)}\n\n", cancellationToken);
                }

                await response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private sealed class Forward(ChannelWriter<StrategyEvent> writer) : IObserver<StrategyEvent>
    {
        public void OnNext(StrategyEvent value) => writer.TryWrite(value);

        public void OnError(Exception error) => writer.TryComplete(error);

        public void OnCompleted() => writer.TryComplete();
    }
}
