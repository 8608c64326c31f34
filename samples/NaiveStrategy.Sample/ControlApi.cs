using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NaiveStrategy.AspNetCore;

namespace NaiveStrategy.Sample;

/// <summary><c>--http ADDRESS:PORT</c> of live and paper: the control API and the dashboard beside the running engine.</summary>
internal static class ControlApi
{
    public const string Option = "http";

    /// <summary><c>127.0.0.1:8080</c>, <c>0.0.0.0:0</c>, <c>[::1]:8080</c>, <c>localhost:8080</c>, or just a port (then 127.0.0.1).</summary>
    public static IPEndPoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        var host = colon < 0 ? "" : text[..colon].Trim('[', ']');
        var portText = colon < 0 ? text : text[(colon + 1)..];
        IPAddress? address = host.Length == 0 ? IPAddress.Loopback : string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.TryParse(host, out var a) ? a : null;
        if (address is null || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            throw new UsageException($"--http '{text}' is not ADDRESS:PORT, e.g. 127.0.0.1:8080 (port 0 = any free port).");
        }

        return new IPEndPoint(address, port);
    }

    /// <summary>Serves the API for <paramref name="engine"/>; prints the dashboard's address (and the token when it was generated).</summary>
    public static async Task<WebApplication> StartAsync(IPEndPoint endpoint, NaiveStrategyEngine engine, LogLevel level, TextWriter output, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().SetMinimumLevel(level).AddSimpleConsole(o => o.SingleLine = true).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.UseKestrel(k => k.Listen(endpoint));
        builder.Services.AddSingleton(engine);
        builder.Services.AddNaiveStrategyApi();
        var app = builder.Build();
        app.MapNaiveStrategy();
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        output.WriteLine($"dashboard: {address}/");
        var options = app.Services.GetRequiredService<IOptions<NaiveStrategyApiOptions>>().Value;
        if (options.TokenGenerated)
        {
            // Printed once, here only: set NAIVE_API_TOKEN to choose it.
            output.WriteLine($"api token: {options.Token} (open {address}/#token={options.Token})");
        }

        return app;
    }
}
