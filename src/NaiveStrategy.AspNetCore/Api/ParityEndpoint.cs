using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace NaiveStrategy.AspNetCore;

/// <summary>The latest parity summary of a running bot: its own journal and recording replayed on demand.</summary>
/// <param name="Summary">The one line, e.g. <c>parity: 412 live orders, 409 matched, 3 diverged: 2 latency, 1 stream gap</c>.</param>
/// <param name="LiveOrders">Orders live placed.</param>
/// <param name="Matched">Orders both runs placed and ended the same.</param>
/// <param name="Diverged">Divergences.</param>
/// <param name="Causes">Divergences by cause (<c>latency</c>, <c>stream gap</c>, …; <c>unexplained</c> when any).</param>
public sealed record ParitySummary(string Summary, int LiveOrders, int Matched, int Diverged, IReadOnlyDictionary<string, int> Causes);

/// <summary>Computes a <see cref="ParitySummary"/> of the running bot; registered by a host that records (<c>live --record</c>).</summary>
public interface IParitySummarySource
{
    /// <summary>Replays what the bot recorded so far and compares it with its journal.</summary>
    /// <param name="cancellationToken">Stops the replay (the request was aborted).</param>
    /// <returns>The summary.</returns>
    Task<ParitySummary> GetSummaryAsync(CancellationToken cancellationToken);
}

internal static class ParityEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/parity", GetAsync);

    private static async Task<IResult> GetAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.RequestServices.GetService<IParitySummarySource>() is not { } source)
        {
            return Results.Json(new { error = "no parity here: it needs a live run with a state file and a trade recording (live --record)" }, ApiJson.Options, statusCode: StatusCodes.Status404NotFound);
        }

        try
        {
            return Results.Json(await source.GetSummaryAsync(cancellationToken), ApiJson.Options);
        }
        catch (InvalidOperationException ex)
        {
            return Results.Json(new { error = ex.Message }, ApiJson.Options, statusCode: StatusCodes.Status409Conflict);
        }
    }
}
