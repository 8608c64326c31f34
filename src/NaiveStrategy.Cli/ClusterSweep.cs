using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NaiveStrategy.Backtesting;
using NaiveStrategy.Backtesting.PublicData;
using NaiveStrategy.Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Orleans.Serialization;

namespace NaiveStrategy.Cli;

/// <summary>
/// <c>sweep --cluster --redis HOST:PORT</c>: the grid's combinations dealt round-robin over the cluster's active silos
/// (started with <c>silo</c>), one part per silo; each silo reads the trade files once for its part, at the same path
/// (one machine, or storage they share), and answers its combinations' reports, which are ranked as the local sweep ranks them.
/// </summary>
internal static class ClusterSweep
{
    public static async Task<int> RunAsync(CommandLine cl, TradeFileSet trades, IReadOnlyList<SymbolFilters> filters, IReadOnlyList<SymbolSettings> grid, int threads, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var redis = SiloCommand.Redis(cl);
        var clusterId = cl.String("cluster-id") ?? SiloCommand.DefaultClusterId;
        await SiloCommand.WaitForRedisAsync(redis, SiloCommand.RedisWait(cl), cancellationToken);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId))
                .UseRedisClustering(o => o.ConfigurationOptions = redis)
                .AddNaiveStrategy();
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromDays(1)); // a part runs as long as its data takes
            AddSerialization(client.Services);
        });
        using var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
            return await SweepAsync(host.Services.GetRequiredService<IClusterClient>(), clusterId, cl, trades, filters, grid, threads, output, error, cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or UsageException or OutOfMemoryException))
        {
            // Redis or the cluster unreachable, a silo lost mid-part, a part that failed there: one line, no stack trace.
            throw new InvalidOperationException($"the sweep on cluster {clusterId} failed: {ex.GetType().Name}: {ex.Message}", ex);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<int> SweepAsync(IClusterClient grains, string clusterId, CommandLine cl, TradeFileSet trades, IReadOnlyList<SymbolFilters> filters, IReadOnlyList<SymbolSettings> grid, int threads, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var silos = (await grains.GetGrain<IManagementGrain>(0).GetHosts(true, cancellationToken)).Keys.OrderBy(s => s.ToString(), StringComparer.Ordinal).ToArray();
        if (silos.Length == 0)
        {
            throw new InvalidOperationException($"cluster {clusterId} has no active silo: start some with `silo --redis …`.");
        }

        var request = new SweepPart
        {
            Paths = [.. trades.Files.Select(Path.GetFullPath)],
            Symbol = cl.String("symbol")?.ToUpperInvariant(),
            SkipBadLines = cl.Has("skip-bad-lines"),
            From = DataCommands.Days(cl).From,
            To = DataCommands.Days(cl).To,
            PartialFills = cl.Has(CliApp.PartialFillsFlag),
            Filters = filters,
            Threads = threads,
        };
        var stopwatch = Stopwatch.StartNew();
        var sweep = Guid.NewGuid().ToString("N");
        var pending = new List<Task<SweepPartResult>>();
        for (var k = 0; k < silos.Length && k < grid.Count; k++)
        {
            var part = request with { Indexes = [.. Enumerable.Range(0, grid.Count).Where(i => i % silos.Length == k)] };
            part = part with { Settings = [.. part.Indexes.Select(i => grid[i])] };

            // A new grain per part, placed on its silo by the placement hint.
            RequestContext.Set(IPlacementDirector.PlacementHintKey, silos[k]);
            pending.Add(grains.GetGrain<ISweepWorkerGrain>($"{sweep}/{k.ToString(CultureInfo.InvariantCulture)}").RunAsync(part));
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }

        var parts = await Task.WhenAll(pending).WaitAsync(cancellationToken);
        stopwatch.Stop();
        var runs = new (SymbolSettings Settings, BacktestResult Result)[grid.Count];
        foreach (var part in parts)
        {
            foreach (var run in part.Runs)
            {
                runs[run.Index] = (grid[run.Index], new BacktestResult(run.Symbols, [], new Dictionary<string, IReadOnlyList<EquityPoint>>()) { FillModel = run.FillModel });
            }
        }

        var first = parts[0];
        var exit = CliApp.WriteSweep(output, error, trades, (first.SkippedSummary, first.SkippedMessages), runs, stopwatch.Elapsed);
        var used = parts.Select(p => p.Silo).Distinct(StringComparer.Ordinal).Count();
        output.WriteLine($"distributed: {grid.Count.ToString(CultureInfo.InvariantCulture)} combinations over {used.ToString(CultureInfo.InvariantCulture)} silos ({string.Join(", ", parts.Select(p => $"{p.Silo} {p.Runs.Count.ToString(CultureInfo.InvariantCulture)}"))}) of cluster {clusterId}");
        return exit;
    }

    /// <summary>
    /// The sweep's messages carry the backtest's reports (NaiveStrategy.Backtesting) as JSON, exact decimals; not the
    /// compiler's collection types of that assembly (JSON cannot rebuild them; Orleans copies them as lists).
    /// </summary>
    internal static void AddSerialization(IServiceCollection services) =>
        services.AddSerializer(s => s.AddJsonSerializer(type => type.Assembly == typeof(SymbolReport).Assembly && type.Namespace?.StartsWith("NaiveStrategy", StringComparison.Ordinal) == true));
}

/// <summary>One silo's part of a distributed sweep.</summary>
internal interface ISweepWorkerGrain : IGrainWithStringKey
{
    Task<SweepPartResult> RunAsync(SweepPart part);
}

/// <summary>Runs a part of a sweep on the silo it was placed on: reads the data once, replays it for every setting of the part.</summary>
internal sealed class SweepWorkerGrain(ILocalSiloDetails silo) : Grain, ISweepWorkerGrain
{
    public async Task<SweepPartResult> RunAsync(SweepPart part)
    {
        try
        {
            // Off the grain's scheduler: the replay is long and parallel (up to part.Threads cores).
            return await Task.Run(async () =>
            {
                var trades = TradeFileReader.Open(part.Paths, new TradeFileReaderOptions { Symbol = part.Symbol, SkipBadLines = part.SkipBadLines, From = part.From, To = part.To });
                var runs = await CliApp.SimulateAsync(trades, part.Filters, part.Settings, part.Threads, part.PartialFills, replay =>
                {
                    replay(_ => { });
                    return Task.CompletedTask;
                }, skip: true, Microsoft.Extensions.Logging.LogLevel.None, CancellationToken.None);
                return new SweepPartResult
                {
                    Silo = silo.SiloAddress.ToString(),
                    Runs = [.. runs.Select((r, i) => new SweepRun(part.Indexes[i], r.Result.FillModel, r.Result.Symbols))],
                    SkippedSummary = trades.Diagnostics.SkippedSummary,
                    SkippedMessages = trades.Diagnostics.Messages,
                };
            });
        }
        finally
        {
            DeactivateOnIdle();
        }
    }
}

[GenerateSerializer]
internal sealed record SweepPart
{
    [Id(0)]
    public IReadOnlyList<string> Paths { get; init; } = [];

    [Id(1)]
    public string? Symbol { get; init; }

    [Id(2)]
    public bool SkipBadLines { get; init; }

    [Id(3)]
    public bool PartialFills { get; init; }

    [Id(4)]
    public IReadOnlyList<SymbolFilters> Filters { get; init; } = [];

    [Id(5)]
    public int Threads { get; init; } = 1;

    /// <summary>The positions of <see cref="Settings"/> in the whole grid.</summary>
    [Id(6)]
    public IReadOnlyList<int> Indexes { get; init; } = [];

    [Id(7)]
    public IReadOnlyList<SymbolSettings> Settings { get; init; } = [];

    /// <summary><c>--from</c> / <c>--to</c>: the days each silo replays.</summary>
    [Id(8)]
    public DateOnly? From { get; init; }

    [Id(9)]
    public DateOnly? To { get; init; }
}

[GenerateSerializer]
internal sealed record SweepRun([property: Id(0)] int Index, [property: Id(1)] FillModel FillModel, [property: Id(2)] IReadOnlyList<SymbolReport> Symbols);

[GenerateSerializer]
internal sealed record SweepPartResult
{
    [Id(0)]
    public string Silo { get; init; } = "";

    [Id(1)]
    public IReadOnlyList<SweepRun> Runs { get; init; } = [];

    [Id(2)]
    public string? SkippedSummary { get; init; }

    [Id(3)]
    public IReadOnlyList<string> SkippedMessages { get; init; } = [];
}
