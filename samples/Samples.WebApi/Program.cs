using NaiveStrategy;
using NaiveStrategy.AspNetCore;
using NaiveStrategy.Mock;

// An ASP.NET Core app with the control API and the dashboard (NaiveStrategy.AspNetCore) over an engine on the
// in-memory exchange, so it runs offline: /api/symbols, /api/events, /healthz, /readyz, /metrics and the dashboard at /.
// The API's token comes from NAIVE_API_TOKEN, or is generated and printed once.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddNaiveStrategy(builder.Configuration.GetSection("NaiveStrategy"))
    .AddMockExchange(o =>
    {
        o.Symbols.Add(new SymbolFilters { Symbol = "XRPUSDT", BaseAsset = "XRP", QuoteAsset = "USDT", TickSize = 0.0001m, StepSize = 1m, MinNotional = 10m });
        o.Balances["USDT"] = 100m;
    });
builder.Services.AddNaiveStrategyApi();

var app = builder.Build();
app.MapNaiveStrategy();
app.Lifetime.ApplicationStarted.Register(() =>
{
    var api = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<NaiveStrategyApiOptions>>().Value;
    Console.WriteLine($"dashboard: {string.Join(", ", app.Urls)}{(api.TokenGenerated ? $" (token {api.Token})" : "")}");
});
await app.RunAsync();
