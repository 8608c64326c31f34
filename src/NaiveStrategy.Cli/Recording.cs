using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NaiveStrategy.AspNetCore;
using NaiveStrategy.Backtesting.Recording;

namespace NaiveStrategy.Cli;

/// <summary>
/// <c>--record DIR|off</c> of live and paper: every market trade received is recorded as Binance public-data files
/// (on by default, in <c>recordings/</c> beside the state file), for <c>backtest --trades</c> and <c>parity</c>.
/// </summary>
internal static class Recording
{
    public const string Option = "record";

    /// <summary>The recording directory <c>--record</c> names (default: <c>recordings</c> beside <paramref name="state"/>, or here), or null for <c>off</c>.</summary>
    public static string? Directory(CommandLine cl, string? state)
    {
        var value = cl.String(Option);
        if (value is null)
        {
            var beside = state is null ? null : Path.GetDirectoryName(Path.GetFullPath(state));
            return beside is null ? "recordings" : Path.Combine(beside, "recordings");
        }

        if (string.Equals(value, "off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return value.Trim().Length > 0 ? value : throw new UsageException("--record needs a directory, or off.");
    }

    /// <summary>
    /// Adds the recording (after the exchange and the store) and its readiness check, unless it is off; with a
    /// <paramref name="state"/> file, <c>GET /api/parity</c> compares the two on demand.
    /// </summary>
    public static void AddTo(NaiveStrategyBuilder builder, string? directory, string? state = null)
    {
        if (directory is null)
        {
            return;
        }

        builder.AddTradeRecording(directory);
        builder.Services.AddHealthChecks().AddCheck<RecordingCheck>("recording", tags: [EngineReadinessTag]);
        if (state is not null)
        {
            builder.Services.AddSingleton<IParitySummarySource>(new ParityApi(Path.GetFullPath(state), Path.GetFullPath(directory)));
        }
    }

    // The control API's readiness tag (/readyz runs the checks with it).
    private const string EngineReadinessTag = "ready";

    /// <summary>A recording that cannot write (a full disk, no permission) or drops trades makes the bot not ready; trading goes on.</summary>
    private sealed class RecordingCheck(TradeRecorder recorder) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var problem = recorder.Problem ?? (recorder.Dropped > 0 ? $"the trade recording dropped {recorder.Dropped} trades (its queue was full); they are recorded as gaps" : null);
            return Task.FromResult(problem is null ? HealthCheckResult.Healthy("recording to " + recorder.Directory) : HealthCheckResult.Unhealthy(problem));
        }
    }
}

/// <summary>Chains a step on a builder, so a call site adds one line.</summary>
internal static class BuilderChain
{
    public static NaiveStrategyBuilder Also(this NaiveStrategyBuilder builder, Action<NaiveStrategyBuilder> step)
    {
        step(builder);
        return builder;
    }
}
