using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Mock;

namespace NaiveStrategy.AspNetCore.Tests;

/// <summary>The API on real Kestrel at 127.0.0.1 (any free port), over an engine on the in-memory exchange.</summary>
internal sealed class ApiHost : IAsyncDisposable
{
    public const string Token = "test-token-0123456789abcdef";
    public static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;

    private ApiHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Anonymous = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    /// <summary>Sends the token.</summary>
    public HttpClient Client { get; }

    /// <summary>Sends no token.</summary>
    public HttpClient Anonymous { get; }

    public IServiceProvider Services => _app.Services;

    public InMemoryExchange Exchange => _app.Services.GetRequiredService<InMemoryExchange>();

    public NaiveStrategyEngine Engine => _app.Services.GetRequiredService<NaiveStrategyEngine>();

    public InMemoryStrategyStore Store => _app.Services.GetRequiredService<InMemoryStrategyStore>();

    /// <summary>While true, the store throws on every save (a full disk).</summary>
    public bool StoreFails { get => _app.Services.GetRequiredService<FailableStore>().Fail; set => _app.Services.GetRequiredService<FailableStore>().Fail = value; }

    public static SymbolSettings Settings(SymbolStatus status = SymbolStatus.On) => new()
    {
        Symbol = "XRPUSDT",
        Chunks = 2,
        Budget = 100m,
        BuyDownInterval = 0.01m,
        ProfitInterval = 0.001m,
        RebuyInterval = 0.5m,
        Status = status,
    };

    /// <param name="listXrp">False: the exchange does not list XRPUSDT, so the engine cannot start it.</param>
    public static async Task<ApiHost> StartAsync(SymbolStatus status = SymbolStatus.On, string? token = Token, bool listXrp = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var store = new InMemoryStrategyStore();
        var failable = new FailableStore(store);
        builder.Services.AddSingleton(store).AddSingleton(failable).AddSingleton<IStrategyStore>(failable);
        builder.Services.AddNaiveStrategy(o =>
        {
            o.Symbols.Add(Settings(status));
            o.Symbols.Add(Settings(SymbolStatus.Off) with { Symbol = "ETHUSDT" });
        }).AddMockExchange(o =>
        {
            if (listXrp)
            {
                o.Symbols.Add(new SymbolFilters { Symbol = "XRPUSDT", BaseAsset = "XRP", QuoteAsset = "USDT", TickSize = 0.0001m, StepSize = 1m, MinNotional = 1m });
            }

            o.Symbols.Add(new SymbolFilters { Symbol = "ETHUSDT", BaseAsset = "ETH", QuoteAsset = "USDT", TickSize = 0.01m, StepSize = 0.0001m, MinNotional = 1m });
            o.Balances["USDT"] = 1000m;
            o.StartTime = T0;
        });
        builder.Services.AddNaiveStrategyApi(o => o.Token = token);
        var app = builder.Build();
        app.MapNaiveStrategy();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new ApiHost(app, new Uri(address));
    }

    public static TradeEvent Trade(decimal price, long id) => new("XRPUSDT", id, price, 1000m, T0.AddSeconds(id));

    internal sealed class FailableStore(InMemoryStrategyStore inner) : IStrategyStore
    {
        public bool Fail { get; set; }

        public IReadOnlyList<StrategySnapshot> Load() => inner.Load();

        public void SaveSymbol(SymbolSnapshot state)
        {
            if (Fail)
            {
                throw new IOException("disk full");
            }

            inner.SaveSymbol(state);
        }

        public void RecordIntent(OrderIntent intent) => inner.RecordIntent(intent);

        public void RecordOrderUpdate(OrderUpdate update) => inner.RecordOrderUpdate(update);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
