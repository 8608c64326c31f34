using Microsoft.Extensions.DependencyInjection;
using NaiveStrategy.Mock;
using static NaiveStrategy.Sqlite.Tests.TestData;

namespace NaiveStrategy.Sqlite.Tests;

public sealed class DependencyInjectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AddSqliteStore_EngineResolved_SavesToFile()
    {
        var services = new ServiceCollection();
        services.AddNaiveStrategy(o => o.Symbols.Add(Settings()))
            .AddMockExchange(o =>
            {
                o.Symbols.Add(Filters());
                o.Balances["USDT"] = 1000m;
            })
            .AddSqliteStore(_dir.File());

        await using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<IStrategyStore>().Should().BeSameAs(provider.GetRequiredService<SqliteStrategyStore>());
            await using var engine = provider.GetRequiredService<NaiveStrategyEngine>();
            await engine.StartAsync();
            provider.GetRequiredService<InMemoryExchange>().PublishTrade(new TradeEvent("XRPUSDT", 1, 1.0m, 1000m, T0));
        }

        using var reopened = new SqliteStrategyStore(_dir.File());
        reopened.Load().Single().Traders.Single().BuyOrder!.Status.Should().Be(OrderStatus.New);
        reopened.ReadIntents().Should().ContainSingle();
    }

    [Fact]
    public void AddSqliteStore_StoreRegisteredBefore_EarlierWins()
    {
        var services = new ServiceCollection();
        var mine = new InMemoryStrategyStore();
        services.AddSingleton<IStrategyStore>(mine);

        services.AddNaiveStrategy().AddSqliteStore(_dir.File());

        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStrategyStore>().Should().BeSameAs(mine);
        File.Exists(_dir.File()).Should().BeFalse();
    }
}
