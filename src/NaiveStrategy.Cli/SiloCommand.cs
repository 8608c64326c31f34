using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using StackExchange.Redis;

namespace NaiveStrategy.Cli;

/// <summary>
/// <c>silo --redis HOST:PORT</c>: one silo of an Orleans cluster whose membership and grain state live in Redis. Every
/// silo of the cluster is started with the same symbols and settings; each symbol's Leader grain runs on one of them
/// and moves to another when its silo is lost.
/// </summary>
internal static class SiloCommand
{
    /// <summary>The cluster's id and service id unless <c>--cluster-id</c> names another.</summary>
    public const string DefaultClusterId = "naive-strategy";

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var cl = new CommandLine("silo", args);
        var redis = Redis(cl);
        // Without symbols a silo hosts the Leaders of symbols started by a grain call, and parts of distributed sweeps.
        IReadOnlyList<SymbolSettings> symbols = cl.Has("symbol") ? LiveCommands.SymbolSettings(cl) : [];
        var siloPort = (int)cl.Whole("silo-port", 11111, 1, IPEndPoint.MaxPort);
        var gatewayPort = (int)cl.Whole("gateway-port", 30000, 1, IPEndPoint.MaxPort);
        var address = cl.String("address") is { } given
            ? IPAddress.TryParse(given, out var parsed) ? parsed : throw new UsageException($"--address '{given}' is not an IP address, e.g. 10.0.0.5.")
            : IPAddress.Loopback;
        var clusterId = cl.String("cluster-id") ?? DefaultClusterId;
        var keys = LiveCommands.Keys("silo");
        await WaitForRedisAsync(redis, RedisWait(cl), cancellationToken);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Logging.ClearProviders().AddSampleConsole(CliApp.ParseLevel(cl.String("log-level") ?? "Warning"));
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId))
                .ConfigureEndpoints(address, siloPort, gatewayPort)
                .UseRedisClustering(o => o.ConfigurationOptions = redis)
                .AddRedisGrainStorage(NaiveStrategyOrleansOptions.DefaultStorageName, o => o.ConfigurationOptions = redis);

            // How fast a lost silo is declared dead: Orleans' defaults unless the configuration says otherwise
            // (Orleans__Membership__ProbeTimeout=00:00:01 in the environment, or appsettings.json).
            silo.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"));
            ClusterSweep.AddSerialization(silo.Services);
            silo.AddNaiveStrategy(o =>
                {
                    foreach (var settings in symbols)
                    {
                        o.Symbols.Add(settings);
                    }
                })
                .AddBinanceExchange(o => LiveCommands.Binance(o, cl, keys));
        });

        using var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            // A port in use, Redis unreachable past Orleans' join time, invalid options: one line, no stack trace.
            throw new InvalidOperationException($"the silo could not start: {ex.GetType().Name}: {ex.Message}", ex);
        }

        var silo = host.Services.GetRequiredService<global::Orleans.Runtime.ILocalSiloDetails>();
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine($"silo {silo.SiloAddress} in cluster {clusterId} on redis {string.Join(",", redis.EndPoints.Select(e => e.ToString()))}, gateway port {gatewayPort.ToString(inv)}: symbols {(symbols.Count == 0 ? "none configured" : string.Join(", ", symbols.Select(s => s.Symbol)))}; Ctrl+C leaves the cluster");
        await host.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    /// <summary><c>--redis-wait SECONDS</c>: how long a silo or a cluster sweep waits for Redis at start (default 30 s).</summary>
    internal static TimeSpan RedisWait(CommandLine cl) => TimeSpan.FromSeconds(cl.Whole("redis-wait", 30, 1, 3_600));

    /// <summary>
    /// Waits until Redis answers a PING, for at most <paramref name="wait"/>. Orleans would wait its whole join
    /// time (minutes) for a Redis it cannot reach and then fail with a long trace; this says it in one line.
    /// The message names the servers, never the configuration string (it may carry a password).
    /// </summary>
    internal static async Task WaitForRedisAsync(ConfigurationOptions redis, TimeSpan wait, CancellationToken cancellationToken)
    {
        var probe = redis.Clone();
        probe.AbortOnConnectFail = true;
        probe.ConnectRetry = 1;
        probe.ConnectTimeout = (int)Math.Min(wait.TotalMilliseconds, 5_000);
        var clock = Stopwatch.StartNew();
        string failure;
        while (true)
        {
            try
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync(probe);
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                failure = ex is RedisConnectionException connection ? connection.FailureType.ToString() : ex.GetType().Name;
            }

            if (clock.Elapsed >= wait)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }

        var servers = string.Join(",", redis.EndPoints.Select(e => e.ToString()));
        throw new InvalidOperationException($"Redis at {servers} did not answer for {wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({failure}): is it running, and is --redis right?");
    }

    /// <summary><c>--redis HOST:PORT</c> (or any StackExchange.Redis configuration string), required.</summary>
    internal static ConfigurationOptions Redis(CommandLine cl)
    {
        var text = cl.String("redis") ?? throw new UsageException("--redis is required, e.g. --redis 127.0.0.1:6379.");
        try
        {
            var options = ConfigurationOptions.Parse(text);
            if (options.EndPoints.Count == 0)
            {
                throw new UsageException("--redis names no server, e.g. --redis 127.0.0.1:6379.");
            }

            options.AbortOnConnectFail = false; // Redis down at start: retried, not a crash
            return options;
        }
        catch (ArgumentException ex)
        {
            // The text is not echoed: a configuration string may carry a password.
            throw new UsageException($"--redis is not HOST:PORT or a Redis configuration string ({ex.GetType().Name}).");
        }
    }
}
