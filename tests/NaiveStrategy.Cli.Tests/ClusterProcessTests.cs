using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Orleans;
using NaiveStrategy.Tests.Shared;
using Orleans.Configuration;
using Orleans.Hosting;
using Xunit.Abstractions;

namespace NaiveStrategy.Cli.Tests;

/// <summary>Runs only where redis-server is installed; under CI=true it must run (.ci/run installs it), so a missing server fails.</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.Path is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "redis-server is not installed: apt-get install -y redis-server (.ci/run installs it; under CI=true this test runs).";
        }
    }
}

/// <summary>
/// The README's deployment as processes: a redis-server, three <c>silo --redis</c> processes of the sample and the
/// Binance-compatible sandbox. When every symbol trades, the silo process that hosts the most Leaders is SIGKILLed the
/// moment the sandbox accepts an order of one of them; its symbols must come back on the other two and trade on, and the
/// exchange's records are checked against what the Leaders saved in Redis: nothing sent twice, nothing unknown, no lost fill.
/// </summary>
public sealed class ClusterProcessTests(ITestOutputHelper log) : IDisposable
{
    private const string Key = "cluster-key";
    private const string Secret = "cluster-secret";
    private const int SymbolCount = 12;
    private const int Chunks = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly List<Process> _processes = [];

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }
    }

    [RedisFact]
    public async Task Silos_OneKilledWhileOrdersInFlight_SymbolsResumeOnTheOthersNothingSentTwiceUnknownOrLost()
    {
        var symbols = Enumerable.Range(1, SymbolCount).Select(i => $"C{i:00}USDT").ToArray();
        var redis = await StartRedisAsync();

        await using var sandbox = await SymbolsSandbox.StartAsync(symbols, Key, Secret);
        var (server, placements) = (sandbox.Server, sandbox.Placements);

        var clusterId = "naive-test-" + Guid.NewGuid().ToString("N")[..8];
        var inv = CultureInfo.InvariantCulture;
        var silos = await StartSilosAsync(redis, clusterId,
        [
            "--symbol", string.Join(",", symbols), "--chunks", Chunks.ToString(inv), "--budget", "60", "--buy-down", "0.001", "--profit", "0.001", "--rebuy", "0.002",
            "--rest-url", server.RestBaseUrl, "--ws-api-url", server.WebSocketApiUrl, "--stream-url", server.StreamBaseUrl,
        ]);
        using var client = await ClientAsync(redis, clusterId);
        var grains = client.Services.GetRequiredService<IClusterClient>();
        using var stopMarket = new CancellationTokenSource();
        var market = Task.Run(() => OscillatingMarket.FeedAsync(server, symbols, TimeSpan.FromMilliseconds(25), stopMarket.Token));
        try
        {
            // The keepers of the three silos activate every Leader; each symbol trades somewhere in the cluster.
            await ClusterChecks.UntilAsync("every symbol placed an order", () => symbols.All(s => server.Exchange.Orders.Any(o => o.Symbol == s)), Patience);
            var where = await ClusterChecks.WhereAsync(grains, symbols);
            var victimPort = silos.Keys.MaxBy(port => where.Values.Count(silo => PortOf(silo) == port));
            var victimSilo = where.Values.First(silo => PortOf(silo) == victimPort);
            var onVictim = symbols.Where(s => where[s] == victimSilo).ToHashSet(StringComparer.Ordinal);
            log.WriteLine($"symbols per silo: {string.Join(", ", where.GroupBy(w => w.Value).Select(g => $"{g.Key} {g.Count()}"))}");

            // SIGKILL the moment the sandbox accepts one of its orders: the silo has not heard back.
            var inFlight = await placements.NextAsync(onVictim.Contains).WaitAsync(Patience);
            silos[victimPort].Kill(entireProcessTree: true);
            await silos[victimPort].WaitForExitAsync();
            var ordersAtKill = server.Exchange.Orders.Select(o => o.ClientOrderId).ToHashSet(StringComparer.Ordinal);
            log.WriteLine($"killed {victimSilo} right after the sandbox accepted {inFlight}; it hosted {onVictim.Count} symbols");

            await ClusterChecks.ResumedAsync(grains, server, onVictim, victimSilo, ordersAtKill, Patience, log.WriteLine);

            // The market stops; what is in flight settles.
            await stopMarket.CancelAsync();
            await market;
            await sandbox.SettleAsync();

            // Audit a cluster at rest: every Leader ready on a live silo (a loaded machine can make membership move one
            // more Leader, which answers with no traders until it has restored them).
            await ClusterChecks.UntilAsync("every Leader ready on a live silo", async () => (await Task.WhenAll(symbols.Select(s => grains.GetSymbolLeader(s).GetStatusAsync()))).All(s => s.Ready && s.Silo != victimSilo), Patience);
            var orders = server.Exchange.Orders;
            var journal = (await Task.WhenAll(symbols.Select(s => grains.GetSymbolLeader(s).GetIntentsAsync()))).SelectMany(i => i).Select(i => i.Request.ClientOrderId).ToHashSet(StringComparer.Ordinal);
            var statuses = await Task.WhenAll(symbols.Select(s => grains.GetSymbolLeader(s).GetStatusAsync()));
            var audit = AuditResult.Of(orders, journal, [.. statuses.Select(s => s.Traders)]);
            var line = $"orleans cluster (redis, 3 processes): silos 3, killed 1, symbols {SymbolCount}, {audit.Figures}";
            log.WriteLine(line);
            Console.WriteLine(line);
            if (audit.Orphans > 0)
            {
                foreach (var description in await ClusterChecks.DescribeAsync(grains, server, symbols))
                {
                    log.WriteLine(description);
                }
            }

            audit.ShouldBeClean(Chunks);
            statuses.Should().OnlyContain(s => s.Silo != victimSilo);
        }
        finally
        {
            await stopMarket.CancelAsync();
            await market;
            await client.StopAsync();
        }
    }

    [RedisFact]
    public async Task SweepCluster_GridOverThreeSilos_RankingEqualsTheLocalSweep()
    {
        var redis = await StartRedisAsync();
        var clusterId = "naive-test-" + Guid.NewGuid().ToString("N")[..8];
        await StartSilosAsync(redis, clusterId, ["--rest-url", "http://127.0.0.1:9", "--ws-api-url", "ws://127.0.0.1:9", "--stream-url", "ws://127.0.0.1:9"]);
        string[] grid = ["--chunks", "1,3,5", "--buy-down", "0.0001,0.0005,0.001", "--profit", "-0.0012,0.001", "--threads", "1"];

        var (localExit, local) = await RunAsync(["sweep", .. grid]);
        var (clusterExit, cluster) = await RunAsync(["sweep", "--cluster", "--redis", redis, "--cluster-id", clusterId, .. grid]);

        var combinations = Ranking(local).Count(l => l.StartsWith("| ", StringComparison.Ordinal)) - 1;
        var silos = int.Parse(System.Text.RegularExpressions.Regex.Match(cluster, @"over (\d+) silos").Groups[1].Value, CultureInfo.InvariantCulture);
        var equal = Ranking(cluster).SequenceEqual(Ranking(local), StringComparer.Ordinal);
        var line = $"distributed sweep: combinations {combinations}, silos {silos}, equal to local: {(equal ? "yes" : "no")}";
        log.WriteLine(line);
        log.WriteLine(cluster);
        Console.WriteLine(line);

        localExit.Should().Be(0);
        clusterExit.Should().Be(0);
        combinations.Should().Be(18);
        silos.Should().Be(3, "each of the three silos ran a part");
        equal.Should().BeTrue("the cluster's ranking is the local sweep's, byte for byte");
    }

    // The sweep's header, fill model and table: everything but the timing lines.
    private static IReadOnlyList<string> Ranking(string output) =>
        [.. output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("Sweep of", StringComparison.Ordinal) || l.StartsWith("fill model", StringComparison.Ordinal) || l.StartsWith('|') || l.StartsWith('+'))];

    private static async Task<(int Exit, string Output)> RunAsync(string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output + error.ToString());
    }

    private async Task<string> StartRedisAsync()
    {
        var port = FreePort();
        Start(RedisServer.Path ?? "redis-server", ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], "redis", new Dictionary<string, string>());
        await ClusterChecks.UntilAsync("redis-server answers", () => Answers(port), TimeSpan.FromSeconds(20));
        return $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    // Three `silo` processes of one cluster, by silo port, once each has opened its gateway.
    private async Task<Dictionary<int, Process>> StartSilosAsync(string redis, string clusterId, IEnumerable<string> options)
    {
        var inv = CultureInfo.InvariantCulture;
        var silos = new Dictionary<int, Process>();
        var gateways = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var (siloPort, gatewayPort) = (FreePort(), FreePort());
            string[] args =
            [
                Path.Combine(AppContext.BaseDirectory, "NaiveStrategy.Cli.dll"), "silo", "--redis", redis, "--cluster-id", clusterId,
                "--silo-port", siloPort.ToString(inv), "--gateway-port", gatewayPort.ToString(inv), "--log-level", "Warning", .. options,
            ];
            var environment = new Dictionary<string, string>
            {
                ["NAIVE_BINANCE_API_KEY"] = Key,
                ["NAIVE_BINANCE_SECRET_KEY"] = Secret,

                // A SIGKILLed silo is declared dead within seconds, not Orleans' production default.
                ["Orleans__Membership__ProbeTimeout"] = "00:00:01",
                ["Orleans__Membership__NumMissedProbesLimit"] = "2",
                ["Orleans__Membership__NumVotesForDeathDeclaration"] = "1",
            };
            silos[siloPort] = Start("dotnet", args, $"silo {siloPort.ToString(inv)}", environment);
            gateways.Add(gatewayPort);
        }

        await ClusterChecks.UntilAsync("the three silos open their gateways", () => gateways.All(Answers), Patience);
        using var client = await ClientAsync(redis, clusterId);
        var management = client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        await ClusterChecks.UntilAsync("the three silos are active members", async () => (await management.GetHosts(onlyActive: true)).Count == 3, Patience);
        await client.StopAsync();
        return silos;
    }

    private Process Start(string file, IEnumerable<string> args, string name, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        _processes.Add(process);
        process.OutputDataReceived += (_, e) => Log(name, e.Data);
        process.ErrorDataReceived += (_, e) => Log(name, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Log(string name, string? line)
    {
        if (line is { Length: > 0 } && (line.StartsWith("silo ", StringComparison.Ordinal) || line.Contains("fail", StringComparison.OrdinalIgnoreCase) || line.Contains("error", StringComparison.OrdinalIgnoreCase)))
        {
            try
            {
                log.WriteLine($"[{name}] {line}");
            }
            catch (InvalidOperationException)
            {
                // The test has ended; a process still writing is being killed.
            }
        }
    }

    private static async Task<IHost> ClientAsync(string redis, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId))
            .UseRedisClustering(redis)
            .AddNaiveStrategy());
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    // "S127.0.0.1:11111:155454881": the silo's port.
    private static int PortOf(string silo) => int.Parse(silo.Split(':')[1], CultureInfo.InvariantCulture);

    private static bool Answers(int port)
    {
        try
        {
            using var tcp = new TcpClient();
            tcp.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Where redis-server is: on PATH or in /usr/bin (Debian's package), or null.</summary>
internal static class RedisServer
{
    public static string? Path { get; } = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
        ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator).Select(d => System.IO.Path.Combine(d, "redis-server")).FirstOrDefault(File.Exists);
}
