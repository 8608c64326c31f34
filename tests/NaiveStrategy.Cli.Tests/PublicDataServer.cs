using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Cli.Tests;

/// <summary>
/// Binance's public data layout on 127.0.0.1: <c>/data/spot/daily|monthly/trades/SYMBOL/NAME.zip</c> and
/// <c>NAME.zip.CHECKSUM</c>; files not added answer 404; a file can publish a wrong checksum, or have its first
/// whole-file request cut off halfway. Range requests (<c>bytes=N-</c>) are answered 206.
/// </summary>
internal sealed class PublicDataServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _checksums = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _dropOnce = new(StringComparer.Ordinal);

    private PublicDataServer(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Every request: path and Range header ("" when none).</summary>
    public ConcurrentQueue<(string Path, string Range)> Requests { get; } = new();

    public static async Task<PublicDataServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new PublicDataServer(builder.Build());
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        server.BaseUri = new Uri(server._app.Urls.First() + "/");
        return server;
    }

    /// <summary>A zip holding <paramref name="trades"/> generated trades from <paramref name="start"/>, as <c>SYMBOL-trades-DATE.zip</c>.</summary>
    public static byte[] Zip(string name, int trades, DateTimeOffset start, int seed = 1)
    {
        using var csv = new StringWriter();
        TradeFileGenerator.Write(csv, new TradeFileGeneratorOptions { Count = trades, Seed = seed, Start = start });
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = new StreamWriter(zip.CreateEntry(Path.ChangeExtension(name, ".csv")).Open());
            entry.Write(csv.ToString());
        }

        return memory.ToArray();
    }

    /// <summary>Publishes a file at <paramref name="path"/> (e.g. <c>data/spot/daily/trades/XRPUSDT/XRPUSDT-trades-2024-01-30.zip</c>).</summary>
    public void Add(string path, byte[] content, bool badChecksum = false, bool dropOnce = false)
    {
        _files[path] = content;
        var hash = Convert.ToHexStringLower(SHA256.HashData(badChecksum ? [.. content, 0] : content));
        _checksums[path + ".CHECKSUM"] = $"{hash}  {Path.GetFileName(path)}\n";
        if (dropOnce)
        {
            _dropOnce[path] = true;
        }
    }

    public static string Daily(string symbol, string date) => $"data/spot/daily/trades/{symbol}/{symbol}-trades-{date}.zip";

    public static string Monthly(string symbol, string month) => $"data/spot/monthly/trades/{symbol}/{symbol}-trades-{month}.zip";

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!.TrimStart('/');
        var range = context.Request.Headers.Range.ToString();
        Requests.Enqueue((path, range));
        if (_checksums.TryGetValue(path, out var checksum))
        {
            await context.Response.WriteAsync(checksum);
            return;
        }

        if (!_files.TryGetValue(path, out var content))
        {
            context.Response.StatusCode = 404;
            return;
        }

        var from = range.StartsWith("bytes=", StringComparison.Ordinal) ? long.Parse(range[6..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (from >= content.Length && from > 0)
        {
            context.Response.StatusCode = 416;
            return;
        }

        if (from > 0)
        {
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {from}-{content.Length - 1}/{content.Length}";
        }

        context.Response.ContentLength = content.Length - from;
        if (from == 0 && _dropOnce.TryRemove(path, out _))
        {
            // Half the body, then the response ends short of its Content-Length: the server closes the connection after
            // the half it sent (no reset that could discard it), and the client sees the body end early.
            await context.Response.Body.WriteAsync(content.AsMemory(0, content.Length / 2));
            await context.Response.Body.FlushAsync();
            return;
        }

        await context.Response.Body.WriteAsync(content.AsMemory((int)from));
    }
}
