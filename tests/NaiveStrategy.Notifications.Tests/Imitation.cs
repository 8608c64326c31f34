using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Notifications.Tests;

/// <summary>One request an imitation received.</summary>
internal sealed record Received(string Path, string Body);

/// <summary>
/// A local imitation of a webhook or of the Telegram Bot API: Kestrel on 127.0.0.1 (a free port), answering each
/// request with <c>respond</c> (given the request's number, from 1) and recording it.
/// </summary>
internal sealed class Imitation : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly Channel<Received> _arrivals = Channel.CreateUnbounded<Received>();
    private int _count;

    private Imitation(Func<int, HttpContext, string, Task> respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var received = new Received(context.Request.Path.Value ?? "", body);
            _received.Enqueue(received);
            _arrivals.Writer.TryWrite(received);
            await respond(Interlocked.Increment(ref _count), context, body);
        });
    }

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<Received> Requests => [.. _received];

    /// <summary>Answers 200 with an empty JSON object.</summary>
    public static Task<Imitation> StartAsync() => StartAsync((_, context, _) => Answer(context, 200, "{}"));

    public static async Task<Imitation> StartAsync(Func<int, HttpContext, string, Task> respond)
    {
        var imitation = new Imitation(respond);
        await imitation._app.StartAsync();
        var address = imitation._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        imitation.Address = new Uri(address + "/");
        return imitation;
    }

    public static async Task Answer(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    /// <summary>Waits (at most 30 s, then fails) until <paramref name="count"/> requests have arrived.</summary>
    public async Task WaitForRequestsAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_received.Count < count)
        {
            await _arrivals.Reader.ReadAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
