using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace NaiveStrategy.Orleans.Tests;

/// <summary>What the silos of one test cluster share: the sandbox's addresses, the storage table, the symbols.</summary>
internal sealed record TestEnvironment(string RestUrl, string WebSocketApiUrl, string StreamUrl, SharedGrainStorage.Table Table, IReadOnlyList<SymbolSettings> Symbols)
{
    public const string Key = "naive-test-environment";
    public const string ApiKey = "orleans-key";
    public const string SecretKey = "orleans-secret";

    private static readonly ConcurrentDictionary<string, TestEnvironment> Environments = new(StringComparer.Ordinal);

    public static TestCluster Build(TestEnvironment environment, short silos)
    {
        var id = Guid.NewGuid().ToString("N");
        Environments[id] = environment;
        var builder = new TestClusterBuilder(silos);
        builder.Properties[Key] = id;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        return builder.Build();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var environment = Environments[siloBuilder.Configuration[Key]!];
            siloBuilder.AddNaiveStrategy(
                    o =>
                    {
                        foreach (var settings in environment.Symbols)
                        {
                            o.Symbols.Add(settings);
                        }

                        o.RetryDelay = TimeSpan.FromMilliseconds(200);
                        o.MaxRetryDelay = TimeSpan.FromSeconds(2);
                    },
                    o =>
                    {
                        // The test activates the Leaders first, once all silos are up: the keepers' first ping (one interval after a
                        // silo starts) must come later, or on a loaded machine every Leader lands on the first silo alone.
                        o.KeepAliveInterval = TimeSpan.FromSeconds(10);
                        o.JournalLength = 100_000; // the test checks every order of the run against the journal
                    })
                .AddBinanceExchange(o =>
                {
                    o.ApiKey = ApiKey;
                    o.SecretKey = SecretKey;
                    o.RestBaseUrl = new Uri(environment.RestUrl);
                    o.WebSocketApiUrl = new Uri(environment.WebSocketApiUrl);
                    o.StreamBaseUrl = new Uri(environment.StreamUrl);
                });
            siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(NaiveStrategyOrleansOptions.DefaultStorageName, (sp, _) => new SharedGrainStorage(environment.Table, sp.GetRequiredService<Serializer>()));
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                // A lost silo is declared dead within a few seconds.
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder) => clientBuilder.AddNaiveStrategy();
    }
}
