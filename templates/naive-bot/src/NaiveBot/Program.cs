using NaiveStrategy;

// The bot: the settings of appsettings.json ("NaiveStrategy"), Binance (spot testnet unless Binance:UseTestnet is
// false; keys from Binance__ApiKey / Binance__SecretKey in the environment), state in SQLite ("State"), and the
// control API and dashboard (token from NAIVE_API_TOKEN, or generated and printed once).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddNaiveStrategy(builder.Configuration.GetSection("NaiveStrategy"))
    .AddSqliteStore(builder.Configuration["State"] ?? "naive-state.db")
    .AddBinanceExchange(builder.Configuration.GetSection("Binance"));
builder.Services.AddNaiveStrategyApi();

if (string.IsNullOrEmpty(builder.Configuration["Binance:ApiKey"]) || string.IsNullOrEmpty(builder.Configuration["Binance:SecretKey"]))
{
    Console.Error.WriteLine("error: set Binance__ApiKey and Binance__SecretKey (spot testnet keys) in the environment.");
    return 2;
}

var app = builder.Build();
app.MapNaiveStrategy();
await app.RunAsync();
return 0;
