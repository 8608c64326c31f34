using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NaiveStrategy.AspNetCore;

/// <summary>
/// Ready when the engine trades every symbol, its input streams are connected and its store takes writes; otherwise
/// unhealthy with what is wrong (<see cref="EngineReadiness.ToString"/>: the symbols that wait and why, the streams down, the store's error).
/// </summary>
internal sealed class EngineReadinessCheck(NaiveStrategyEngine engine) : IHealthCheck
{
    public const string Tag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var readiness = engine.Readiness;
        return Task.FromResult(readiness.IsReady
            ? HealthCheckResult.Healthy("started, streams connected, store writable")
            : HealthCheckResult.Unhealthy(readiness.ToString()));
    }
}
