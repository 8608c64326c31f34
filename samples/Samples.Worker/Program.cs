using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A generic-host worker: the symbols and their settings from appsettings.json ("NaiveStrategy"), Binance's spot
// testnet ("Binance"; keys from Binance__ApiKey / Binance__SecretKey in the environment). The library's hosted service
// starts the engine with the host and stops it with Ctrl+C; an exchange that is down at start is retried.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddNaiveStrategy(builder.Configuration.GetSection("NaiveStrategy"))
    .AddBinanceExchange(builder.Configuration.GetSection("Binance"));

if (string.IsNullOrEmpty(builder.Configuration["Binance:ApiKey"]) || string.IsNullOrEmpty(builder.Configuration["Binance:SecretKey"]))
{
    Console.Error.WriteLine("error: set Binance__ApiKey and Binance__SecretKey (spot testnet keys) in the environment.");
    return 2;
}

await builder.Build().RunAsync();
return 0;
