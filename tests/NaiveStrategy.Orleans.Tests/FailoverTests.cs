using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Binance.Sandbox;
using Orleans.Serialization;
using Orleans.TestingHost;
using NaiveStrategy.Tests.Shared;
using Xunit.Abstractions;

namespace NaiveStrategy.Orleans.Tests;

/// <summary>
/// Three silos in one process trade twenty symbols against one Binance-compatible sandbox; one silo is killed the
/// moment the sandbox accepts an order of a symbol it hosts (the acknowledgement not yet back). Every symbol must come
/// back on a silo that is up and trade on; then the exchange's own records are checked against grain storage: no
/// intent sent twice, no exchange order the journal does not know, no filled BUY without its SELL, no open order
/// without a saved trader, never more traders than chunks.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper log)
{
    private const int SymbolCount = 20;
    private const int Chunks = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Cluster_SiloKilledWhileOrdersInFlight_EverySymbolResumesNothingSentTwiceUnknownOrLost()
    {
        var symbols = Enumerable.Range(1, SymbolCount).Select(i => $"S{i:00}USDT").ToArray();
        await using var sandbox = await SymbolsSandbox.StartAsync(symbols, TestEnvironment.ApiKey, TestEnvironment.SecretKey);
        var (server, placements) = (sandbox.Server, sandbox.Placements);
        var settings = symbols.Select(s => new SymbolSettings { Symbol = s, Chunks = Chunks, Budget = 60m, BuyDownInterval = 0.001m, ProfitInterval = 0.001m, RebuyInterval = 0.002m }).ToArray();
        var environment = new TestEnvironment(server.RestBaseUrl, server.WebSocketApiUrl, server.StreamBaseUrl, new SharedGrainStorage.Table(), settings);
        await using var cluster = TestEnvironment.Build(environment, silos: 3);
        await cluster.DeployAsync();
        await cluster.WaitForLivenessToStabilizeAsync(); // all three silos are members before a Leader is placed
        await WhereAsync(cluster, symbols); // activates every Leader, spread over the three silos
        using var stopMarket = new CancellationTokenSource();
        var market = Task.Run(() => OscillatingMarket.FeedAsync(server, symbols, TimeSpan.FromMilliseconds(25), stopMarket.Token));
        try
        {
            // Every symbol trades somewhere in the cluster.
            await UntilAsync("every symbol placed an order", () => symbols.All(s => server.Exchange.Orders.Any(o => o.Symbol == s)));
            var where = await WhereAsync(cluster, symbols);
            var victim = cluster.SecondarySilos.MaxBy(silo => where.Values.Count(w => w == silo.SiloAddress.ToString()))!;
            var onVictim = symbols.Where(s => where[s] == victim.SiloAddress.ToString()).ToHashSet(StringComparer.Ordinal);
            onVictim.Should().NotBeEmpty("Orleans spreads the Leaders over the silos");

            // Killed while an order is in flight: the sandbox has just accepted it, the silo has not heard back.
            var victimEngines = ((InProcessSiloHandle)victim).SiloHost.Services.GetRequiredService<SymbolEngines>();
            victimEngines.Count.Should().Be(onVictim.Count);
            var accepted = placements.NextAsync(onVictim.Contains);
            var inFlight = await accepted.WaitAsync(Patience);
            await cluster.KillSiloAsync(victim);
            log.WriteLine($"killed {victim.SiloAddress} right after the sandbox accepted {inFlight}; it hosted {onVictim.Count} symbols");

            var ordersAtKill = server.Exchange.Orders.Select(o => o.ClientOrderId).ToHashSet(StringComparer.Ordinal);
            victimEngines.Count.Should().Be(0, "a lost silo's engines stop with it");

            // Every symbol of the lost silo comes back on another one and trades on.
            await UntilAsync("every symbol hosted on a silo that is up", async () =>
            {
                var now = await WhereAsync(cluster, symbols);
                return now.Values.All(silo => silo != victim.SiloAddress.ToString());
            });

            // Every symbol of the lost silo is back on a silo that is up, ready, its orders reconciled with the
            // exchange's, and places orders again (the market fills every resting order at last).
            await ClusterChecks.ResumedAsync(cluster.Client, server, onVictim, victim.SiloAddress.ToString(), ordersAtKill, Patience, log.WriteLine);

            // The market stops; what is in flight settles.
            await stopMarket.CancelAsync();
            await market;
            await sandbox.SettleAsync();

            var orders = server.Exchange.Orders;
            var serializer = cluster.ServiceProvider.GetRequiredService<Serializer>();
            var saved = symbols.Select(s => environment.Table.Read<SymbolStateDocument>(serializer, "naive-leader", cluster.Client.GetSymbolLeader(s).GetGrainId())!.Read(s)).ToList();
            var journal = saved.SelectMany(s => s.Intents).Select(i => i.Request.ClientOrderId).ToHashSet(StringComparer.Ordinal);
            var audit = AuditResult.Of(orders, journal, [.. saved.Select(s => s.Symbol!.Traders)]);
            var line = $"orleans failover: silos 3, killed 1, symbols {SymbolCount}, {audit.Figures}";
            log.WriteLine(line);
            Console.WriteLine(line);

            audit.ShouldBeClean(Chunks);
            orders.Count.Should().BeGreaterThan(ordersAtKill.Count);
        }
        finally
        {
            await stopMarket.CancelAsync();
            await market;
        }
    }

    private static Task<Dictionary<string, string>> WhereAsync(TestCluster cluster, IEnumerable<string> symbols) => ClusterChecks.WhereAsync(cluster.Client, symbols);

    private static Task UntilAsync(string what, Func<bool> condition, TimeSpan? patience = null, bool throwOnTimeout = true) =>
        ClusterChecks.UntilAsync(what, condition, patience ?? Patience, throwOnTimeout);

    private static Task UntilAsync(string what, Func<Task<bool>> condition) => ClusterChecks.UntilAsync(what, condition, Patience);
}
