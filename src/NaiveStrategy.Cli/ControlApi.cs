using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NaiveStrategy.AspNetCore;

namespace NaiveStrategy.Cli;

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

    /// <summary>
    /// The generic Host of live and paper: with <paramref name="http"/>, a web application whose Kestrel serves
    /// the control API and the dashboard there; without, a plain Host. Either way the engine's hosted service
    /// runs it, logs go to stderr, and settings come from appsettings.json and the environment as usual.
    /// </summary>
    public static IHostApplicationBuilder HostBuilder(IPEndPoint? http, LogLevel level)
    {
        var root = Directory.GetCurrentDirectory();
        IHostApplicationBuilder builder = http is null
            ? Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = root })
            : WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = root });
        builder.Logging.ClearProviders().AddSampleConsole(level);

        // A host that fails to start (invalid options: a short NAIVE_API_TOKEN, bad settings) logs the exception with
        // its stack trace under this category; the command reports the same failure itself as one 'error:' line.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddSampleNotifications();
        if (builder is WebApplicationBuilder web)
        {
            web.WebHost.UseKestrel(k => k.Listen(http!));
            web.Services.AddNaiveStrategyApi();
        }

        return builder;
    }

    /// <summary>Builds the host (mapping the API's routes on a web application); dispose it asynchronously.</summary>
    public static OwnedHost Build(IHostApplicationBuilder builder)
    {
        switch (builder)
        {
            case WebApplicationBuilder web:
                var app = web.Build();
                app.MapNaiveStrategy();
                return new(app, app);
            case HostApplicationBuilder plain:
                var host = plain.Build();
                return new(host, (IAsyncDisposable)host);
            default:
                throw new ArgumentException($"Unexpected host builder {builder.GetType().Name}.", nameof(builder));
        }
    }

    /// <summary>Once started with <c>--http</c>: prints the dashboard's address (and the token when it was generated).</summary>
    public static void PrintAddress(IHost host, TextWriter output)
    {
        if (host is not WebApplication app)
        {
            return;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        output.WriteLine($"dashboard: {address}/");
        var options = app.Services.GetRequiredService<IOptions<NaiveStrategyApiOptions>>().Value;
        if (options.TokenGenerated)
        {
            // Printed once, here only: set NAIVE_API_TOKEN to choose it.
            output.WriteLine($"api token: {options.Token} (open {address}/#token={options.Token})");
        }
    }
}

/// <summary>A built host, disposed asynchronously (the engine it holds is).</summary>
/// <param name="Host">The host.</param>
/// <param name="Disposable">The same host, as it disposes.</param>
internal sealed record OwnedHost(IHost Host, IAsyncDisposable Disposable) : IAsyncDisposable
{
    public IServiceProvider Services => Host.Services;

    public ValueTask DisposeAsync() => Disposable.DisposeAsync();
}
