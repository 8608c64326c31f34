using Microsoft.Extensions.Options;

namespace NaiveStrategy.Binance;

/// <summary>Options of <see cref="BinanceMarketData"/>: public streams only, so no keys.</summary>
public sealed class BinanceMarketDataOptions
{
    /// <summary>Use Binance's spot testnet streams (the default); production needs this set to false explicitly.</summary>
    public bool UseTestnet { get; set; } = true;

    /// <summary>Market streams base URL; null: Binance's (testnet or production).</summary>
    public Uri? StreamBaseUrl { get; set; }

    /// <summary>Reconnect before Binance's 24 h limit.</summary>
    public TimeSpan ReconnectEvery { get; set; } = TimeSpan.FromHours(23);

    /// <summary>Most streams (symbols) one combined-stream connection carries (1..1024, Binance's limit; 200 by default).</summary>
    public int StreamsPerConnection { get; set; } = 200;

    /// <summary>The market streams base URL in use.</summary>
    public Uri Streams => StreamBaseUrl ?? new Uri(UseTestnet ? "wss://stream.testnet.binance.vision" : "wss://stream.binance.com:9443");

    /// <inheritdoc />
    public override string ToString() => $"Binance {(UseTestnet ? "testnet" : "production")} market data {Streams}";
}

/// <summary>Validates <see cref="BinanceMarketDataOptions"/> at start.</summary>
internal sealed class BinanceMarketDataOptionsValidator : IValidateOptions<BinanceMarketDataOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BinanceMarketDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.StreamBaseUrl is { IsAbsoluteUri: false } url)
        {
            errors.Add($"StreamBaseUrl must be an absolute URL, got '{url}'.");
        }

        if (options.StreamsPerConnection is < 1 or > 1024)
        {
            errors.Add($"StreamsPerConnection must be 1..1024 (Binance's limit per connection), got {options.StreamsPerConnection.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        if (options.ReconnectEvery <= TimeSpan.Zero)
        {
            errors.Add($"ReconnectEvery must be > 0, got {options.ReconnectEvery}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
