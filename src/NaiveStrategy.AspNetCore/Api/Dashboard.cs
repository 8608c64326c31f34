using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace NaiveStrategy.AspNetCore;

/// <summary>The dashboard: one page, its script and its style, embedded in this assembly (no build step, no CDN).</summary>
internal static class Dashboard
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "dashboard/index.html", "text/html; charset=utf-8"),
        ("/dashboard.js", "dashboard/dashboard.js", "text/javascript; charset=utf-8"),
        ("/dashboard.css", "dashboard/dashboard.css", "text/css; charset=utf-8"),
    ];

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            var bytes = Load(resource);
            endpoints.MapGet(path, () => Results.Bytes(bytes, contentType)).ExcludeFromDescription();
        }
    }

    private static byte[] Load(string resource)
    {
        using var stream = typeof(Dashboard).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The dashboard's {resource} is not embedded in {typeof(Dashboard).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
