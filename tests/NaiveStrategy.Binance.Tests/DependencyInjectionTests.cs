using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NaiveStrategy.Binance.Sandbox;

namespace NaiveStrategy.Binance.Tests;

public sealed class DependencyInjectionTests : IAsyncLifetime
{
    private const string Key = "di-key";
    private const string Secret = "di-secret";
    private BinanceSandboxServer _server = null!;

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions();
        options.ApiKeys.Add(new SandboxApiKey(Key, Secret));
        _server = new BinanceSandboxServer(options);
        await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AddBinanceExchange_ConfigurationAndHttpClientHandler_BindsOptionsAndSendsThroughHandler()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Binance:ApiKey"] = Key,
            ["Binance:SecretKey"] = Secret,
            ["Binance:RestBaseUrl"] = _server.RestBaseUrl,
            ["Binance:RecvWindow"] = "7000",
        }).Build();
        var counter = new CountingHandler();
        var services = new ServiceCollection();
        services.AddNaiveStrategy().AddBinanceExchange(configuration.GetSection("Binance"));
        services.AddHttpClient(BinanceExchange.HttpClientName).AddHttpMessageHandler(() => counter);
        await using var provider = services.BuildServiceProvider();

        var exchange = provider.GetRequiredService<IExchange>();
        var filters = await exchange.GetSymbolFiltersAsync("XRPUSDT");

        filters.IsSuccess.Should().BeTrue();
        counter.Requests.Should().BeGreaterThan(0);
        provider.GetRequiredService<IOptions<BinanceExchangeOptions>>().Value.RecvWindow.Should().Be(7000);
        exchange.Should().BeSameAs(provider.GetRequiredService<BinanceExchange>()).And.BeSameAs(provider.GetRequiredService<IMarketData>());
    }

    [Fact]
    public void AddBinanceExchange_WithoutKeys_FailsValidationNamingThem()
    {
        var services = new ServiceCollection();
        services.AddNaiveStrategy().AddBinanceExchange();
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<BinanceExchangeOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*ApiKey is required*");
    }

    [Fact]
    public void Dispose_ProviderDisposedSynchronously_DoesNotThrow()
    {
        var services = new ServiceCollection();
        services.AddNaiveStrategy().AddBinanceExchange(o => { o.ApiKey = Key; o.SecretKey = Secret; o.RestBaseUrl = new Uri(_server.RestBaseUrl); });
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<NaiveStrategyEngine>();

        var act = provider.Dispose;

        act.Should().NotThrow();
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        private int _requests;

        public int Requests => _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
