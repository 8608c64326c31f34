using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using NaiveStrategy.Backtesting.PublicData;
using Polly;
using Polly.Retry;
using Spectre.Console;

namespace NaiveStrategy.Cli;

/// <summary>What <c>download</c> fetches and where from.</summary>
internal sealed class PublicDataDownloadOptions
{
    public required IReadOnlyList<string> Symbols { get; init; }

    public required DateOnly From { get; init; }

    public required DateOnly To { get; init; }

    public TradeFileKind Kind { get; init; }

    public required string OutDirectory { get; init; }

    public required Uri BaseUri { get; init; }

    /// <summary>Files fetched at once.</summary>
    public int Parallel { get; init; } = 4;

    /// <summary>First retry delay (exponential backoff with jitter after it).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public int MaxRetries { get; init; } = 4;
}

/// <summary>The end of a download: <c>downloaded 90 files, 1.2 GB, 0 failed</c>.</summary>
internal sealed record DownloadSummary(int Downloaded, long Bytes, int Failed, int Present, int Missing)
{
    public string Line => string.Create(CultureInfo.InvariantCulture, $"downloaded {Downloaded} files, {Size(Bytes)}, {Failed} failed");

    /// <summary>Decimal units with one decimal: <c>1.2 GB</c>, <c>35.0 MB</c>, <c>512 B</c>.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.0} GB"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.0} kB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}

/// <summary>
/// Fetches Binance's public spot trade files (<c>data/spot/{daily|monthly}/{trades|aggTrades}/SYMBOL/…zip</c>) into one
/// directory, each checked against its published <c>.CHECKSUM</c> (SHA-256) and kept as the zip it is. A whole month
/// asked for is fetched as its monthly file when one is published, else day by day. A file already present and
/// verified is skipped; a partial one (<c>.part</c>) is resumed with an HTTP range; transient failures (connection
/// errors, a body cut short, 5xx, 429) are retried by one Polly pipeline; a file not published (404) is reported
/// and skipped; a checksum mismatch deletes the file and fails it.
/// </summary>
internal static class PublicDataDownload
{
    public static async Task<DownloadSummary> RunAsync(PublicDataDownloadOptions options, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.OutDirectory);
        var jobs = Plan(options).ToList();
        using var http = new HttpClient { BaseAddress = options.BaseUri, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("NaiveStrategy.Cli");
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<HttpRequestException>()
                    .Handle<IOException>()
                    .Handle<TransientStatusException>()
                    .Handle<TaskCanceledException>(_ => !cancellationToken.IsCancellationRequested),
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
        var run = new Run(http, pipeline, options, error);
        if (ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected)
        {
            await AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }).Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("download", maxValue: jobs.Count);
                    using var timer = new Timer(_ => { task.Value = run.Done; task.Description = run.Describe(jobs.Count); }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
                    await run.AllAsync(jobs, cancellationToken);
                    task.Value = jobs.Count;
                    task.Description = run.Describe(jobs.Count);
                });
        }
        else
        {
            await run.AllAsync(jobs, cancellationToken);
        }

        return run.Summary;
    }

    /// <summary>The files to fetch: a month asked for whole as its monthly file (days as fallback), other days daily.</summary>
    internal static IEnumerable<Job> Plan(PublicDataDownloadOptions options)
    {
        var kind = DataCommands.KindName(options.Kind);
        foreach (var symbol in options.Symbols)
        {
            for (var month = new DateOnly(options.From.Year, options.From.Month, 1); month <= options.To; month = month.AddMonths(1))
            {
                var last = month.AddMonths(1).AddDays(-1);
                var days = Enumerable.Range(0, last.Day)
                    .Select(month.AddDays)
                    .Where(d => d >= options.From && d <= options.To)
                    .Select(d => Daily(symbol, kind, d))
                    .ToArray();
                if (month >= options.From && last <= options.To)
                {
                    var name = $"{symbol}-{kind}-{month.ToString("yyyy-MM", CultureInfo.InvariantCulture)}.zip";
                    yield return new Job(name, $"data/spot/monthly/{kind}/{symbol}/{name}", days);
                }
                else
                {
                    foreach (var day in days)
                    {
                        yield return day;
                    }
                }
            }
        }
    }

    private static Job Daily(string symbol, string kind, DateOnly day)
    {
        var name = $"{symbol}-{kind}-{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.zip";
        return new Job(name, $"data/spot/daily/{kind}/{symbol}/{name}", []);
    }

    internal sealed record Job(string Name, string Url, IReadOnlyList<Job> Fallback);

    private enum Outcome
    {
        Downloaded,
        Present,
        Missing,
        Failed,
    }

    private sealed class TransientStatusException(HttpStatusCode status) : Exception($"HTTP {(int)status}");

    private sealed class ChecksumException(string message) : Exception(message);

    private sealed class Run(HttpClient http, ResiliencePipeline pipeline, PublicDataDownloadOptions options, TextWriter error)
    {
        private readonly Lock _lock = new();
        private int _done;
        private int _downloaded;
        private int _failed;
        private int _present;
        private int _missing;
        private long _bytes;
        private long _wire;

        public int Done => Volatile.Read(ref _done);

        public DownloadSummary Summary => new(_downloaded, Interlocked.Read(ref _bytes), _failed, _present, _missing);

        public string Describe(int total) =>
            string.Create(CultureInfo.InvariantCulture, $"{Done}/{total} files, {DownloadSummary.Size(Interlocked.Read(ref _wire))}");

        public Task AllAsync(IReadOnlyList<Job> jobs, CancellationToken cancellationToken) =>
            Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = options.Parallel, CancellationToken = cancellationToken }, async (job, ct) =>
            {
                if (await OneAsync(job, ct) == Outcome.Missing && job.Fallback.Count > 0)
                {
                    Note($"{job.Name}: no monthly file published, fetching its {job.Fallback.Count} days");
                    foreach (var day in job.Fallback)
                    {
                        await OneAsync(day, ct);
                    }
                }

                Interlocked.Increment(ref _done);
            });

        private async Task<Outcome> OneAsync(Job job, CancellationToken cancellationToken)
        {
            var path = Path.Combine(options.OutDirectory, job.Name);
            var part = path + ".part";
            try
            {
                var expected = await pipeline.ExecuteAsync(async ct => await ChecksumAsync(job, ct), cancellationToken);
                if (expected is null)
                {
                    if (job.Fallback.Count == 0)
                    {
                        Note($"{job.Name}: not published (404), skipped");
                        Interlocked.Increment(ref _missing);
                    }

                    return Outcome.Missing;
                }

                if (File.Exists(path))
                {
                    if (await HashAsync(path, cancellationToken) == expected)
                    {
                        Interlocked.Increment(ref _present);
                        return Outcome.Present;
                    }

                    Note($"{job.Name}: present but does not match its checksum, fetched again");
                    File.Delete(path);
                }

                await pipeline.ExecuteAsync(async ct => await FetchAsync(job, part, ct), cancellationToken);
                var actual = await HashAsync(part, cancellationToken);
                if (actual != expected)
                {
                    File.Delete(part);
                    throw new ChecksumException($"checksum mismatch (expected {expected}, got {actual}): file deleted");
                }

                File.Move(part, path, overwrite: true);
                Interlocked.Add(ref _bytes, new FileInfo(path).Length);
                Interlocked.Increment(ref _downloaded);
                return Outcome.Downloaded;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TransientStatusException or ChecksumException or TaskCanceledException or UnauthorizedAccessException && !cancellationToken.IsCancellationRequested)
            {
                Note($"{job.Name}: failed: {ex.Message}");
                Interlocked.Increment(ref _failed);
                return Outcome.Failed;
            }
        }

        // The published SHA-256 ("<64 hex>  NAME"), or null when the file is not published (404).
        private async Task<string?> ChecksumAsync(Job job, CancellationToken cancellationToken)
        {
            using var response = await http.GetAsync(job.Url + ".CHECKSUM", cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            Check(response);
            var text = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
            var hex = text.Split([' ', '\t'], 2)[0].ToLowerInvariant();
            return hex.Length == 64 && hex.All(char.IsAsciiHexDigit)
                ? hex
                : throw new ChecksumException($"the published checksum is not a SHA-256 ('{(text.Length > 80 ? text[..80] : text)}')");
        }

        // Appends to the .part file from where it stopped (Range), or starts it over when the server sends it whole.
        private async Task FetchAsync(Job job, string part, CancellationToken cancellationToken)
        {
            var have = File.Exists(part) ? new FileInfo(part).Length : 0;
            using var request = new HttpRequestMessage(HttpMethod.Get, job.Url);
            if (have > 0)
            {
                request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(have, null);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
            {
                return; // the part is already whole: the checksum decides
            }

            Check(response);
            var append = response.StatusCode == HttpStatusCode.PartialContent;
            await using var file = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[1 << 16];
            long received = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                received += read;
                Interlocked.Add(ref _wire, read);
            }

            if (response.Content.Headers.ContentLength is { } length && received < length)
            {
                throw new IOException($"the body ended after {received} of {length} bytes");
            }

        }

        private static void Check(HttpResponseMessage response)
        {
            if (response.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout)
            {
                throw new TransientStatusException(response.StatusCode);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"HTTP {(int)response.StatusCode} for {response.RequestMessage?.RequestUri}");
            }
        }

        private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
        {
            await using var file = File.OpenRead(path);
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        }

        private void Note(string line)
        {
            lock (_lock)
            {
                error.WriteLine(line);
            }
        }
    }
}
