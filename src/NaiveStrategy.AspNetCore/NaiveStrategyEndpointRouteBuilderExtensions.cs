using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NaiveStrategy;
using NaiveStrategy.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the control API, health checks, metrics and the dashboard of a NaiveStrategy engine.</summary>
public static class NaiveStrategyEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>/api/symbols</c> (list, one, start, stop, shutdown, settings), <c>/api/events</c> (Server-Sent
    /// Events), <c>/api/parity</c> (with an <see cref="IParitySummarySource"/>), <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c> (Prometheus) and the dashboard at <c>/</c>.
    /// Every <c>/api</c> route needs <c>Authorization: Bearer TOKEN</c>. Needs <c>services.AddNaiveStrategyApi()</c>.
    /// </summary>
    /// <returns>The <c>/api</c> group, for more conventions.</returns>
    public static RouteGroupBuilder MapNaiveStrategy(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/api").AddEndpointFilter<BearerTokenFilter>();
        SymbolEndpoints.Map(api);
        api.MapGet("/events", EventStream.WriteAsync);
        ParityEndpoint.Map(api);

        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(EngineReadinessCheck.Tag), ResponseWriter = WriteHealthAsync });
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        Dashboard.Map(endpoints);
        return api;
    }

    // The status and each check's description, so a failing readiness says why.
    private static Task WriteHealthAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, ApiJson.Options));
    }
}
