using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NaiveStrategy.AspNetCore;

/// <summary>Ready when the engine has started, its input streams are connected and its store takes writes.</summary>
internal sealed class EngineReadinessCheck(NaiveStrategyEngine engine) : IHealthCheck
{
    public const string Tag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = engine.GetHealth();
        var problems = new List<string>();
        if (!health.Started)
        {
            problems.Add("the engine has not started yet");
        }

        if (health.StreamsDown.Count > 0)
        {
            problems.Add("streams down: " + string.Join(", ", health.StreamsDown));
        }

        if (health.StoreError is { } error)
        {
            problems.Add("the store cannot write: " + error);
        }

        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy("started, streams connected, store writable")
            : HealthCheckResult.Unhealthy(string.Join("; ", problems)));
    }
}
