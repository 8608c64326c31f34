using System.Globalization;
using Microsoft.Extensions.Options;

namespace NaiveStrategy.Binance;

/// <summary>Options of the Binance adapter. <see cref="ToString"/> never shows the secret.</summary>
public sealed class BinanceExchangeOptions
{
    /// <summary>API key, sent in the <c>X-MBX-APIKEY</c> header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Secret key of an HMAC API key: signs requests; never logged. Leave it empty with an Ed25519 or RSA key.</summary>
    public string? SecretKey { get; set; }

    /// <summary>
    /// The private key of an Ed25519 or RSA API key, as PEM text (PKCS#8, encrypted PKCS#8, or PKCS#1 for RSA); never
    /// logged. With an Ed25519 key the WebSocket API session logs on once (<c>session.logon</c>).
    /// </summary>
    public string? PrivateKey { get; set; }

    /// <summary>A PEM file holding the private key (see <see cref="PrivateKey"/>); by default <c>NAIVE_BINANCE_PRIVATE_KEY_FILE</c> when no key is set.</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>The passphrase of an encrypted PEM private key; by default <c>NAIVE_BINANCE_PRIVATE_KEY_PASSPHRASE</c>. Never logged.</summary>
    public string? PrivateKeyPassphrase { get; set; }

    /// <summary>The environment variable naming the PEM file of an Ed25519 or RSA private key, read when no key is configured.</summary>
    public const string PrivateKeyFileVariable = "NAIVE_BINANCE_PRIVATE_KEY_FILE";

    /// <summary>The environment variable holding the passphrase of an encrypted PEM private key, read when none is configured.</summary>
    public const string PrivateKeyPassphraseVariable = "NAIVE_BINANCE_PRIVATE_KEY_PASSPHRASE";

    /// <summary>Use Binance's spot testnet (the default); production needs this set to false explicitly.</summary>
    public bool UseTestnet { get; set; } = true;

    /// <summary>REST base URL; null: Binance's (testnet or production).</summary>
    public Uri? RestBaseUrl { get; set; }

    /// <summary>WebSocket API URL; null: Binance's.</summary>
    public Uri? WebSocketApiUrl { get; set; }

    /// <summary>Market streams base URL; null: Binance's.</summary>
    public Uri? StreamBaseUrl { get; set; }

    /// <summary>recvWindow of signed requests, in milliseconds (1..60000).</summary>
    public int RecvWindow { get; set; } = 5000;

    /// <summary>Request weight per minute the IP may use (X-MBX-USED-WEIGHT-1M) until exchangeInfo's <c>rateLimits</c> were read; requests wait when 90 % is used.</summary>
    public int RequestWeightPerMinute { get; set; } = 6000;

    /// <summary>Orders the account may place per 10 seconds (X-MBX-ORDER-COUNT-10S) until exchangeInfo's <c>rateLimits</c> were read; placements wait when 90 % is used.</summary>
    public int OrdersPer10Seconds { get; set; } = 100;

    /// <summary>How long a symbol's filters and status from exchangeInfo are used before they are read again (1 h by default).</summary>
    public TimeSpan FiltersRefreshEvery { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a REST call may take before its status is treated as unknown.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Reconnect WebSockets before Binance's 24 h limit.</summary>
    public TimeSpan ReconnectEvery { get; set; } = TimeSpan.FromHours(23);

    /// <summary>The REST base URL in use.</summary>
    public Uri Rest => RestBaseUrl ?? new Uri(UseTestnet ? "https://testnet.binance.vision" : "https://api.binance.com");

    /// <summary>The WebSocket API URL in use.</summary>
    public Uri WebSocketApi => WebSocketApiUrl ?? new Uri(UseTestnet ? "wss://ws-api.testnet.binance.vision/ws-api/v3" : "wss://ws-api.binance.com:443/ws-api/v3");

    /// <summary>The market streams base URL in use.</summary>
    public Uri Streams => StreamBaseUrl ?? new Uri(UseTestnet ? "wss://stream.testnet.binance.vision" : "wss://stream.binance.com:9443");

    /// <inheritdoc />
    public override string ToString() =>
        $"Binance {(UseTestnet ? "testnet" : "production")} {Rest} api key {(string.IsNullOrEmpty(ApiKey) ? "(none)" : ApiKey[..Math.Min(4, ApiKey.Length)] + "…")} {KeyDescription}";

    private string KeyDescription =>
        !string.IsNullOrEmpty(PrivateKey) ? "private key ***"
        : !string.IsNullOrEmpty(PrivateKeyFile) ? $"private key file {PrivateKeyFile}"
        : $"secret {(string.IsNullOrEmpty(SecretKey) ? "(none)" : "***")}";

    /// <summary>Fills the private key file and passphrase from the environment when no key is configured.</summary>
    internal void ApplyEnvironment(Func<string, string?> environment)
    {
        if (string.IsNullOrEmpty(SecretKey) && string.IsNullOrEmpty(PrivateKey) && string.IsNullOrEmpty(PrivateKeyFile)
            && environment(PrivateKeyFileVariable) is { Length: > 0 } file)
        {
            PrivateKeyFile = file;
        }

        if (string.IsNullOrEmpty(PrivateKeyPassphrase) && environment(PrivateKeyPassphraseVariable) is { Length: > 0 } passphrase)
        {
            PrivateKeyPassphrase = passphrase;
        }
    }
}

/// <summary>Validates <see cref="BinanceExchangeOptions"/> at start.</summary>
internal sealed class BinanceExchangeOptionsValidator : IValidateOptions<BinanceExchangeOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BinanceExchangeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            errors.Add("ApiKey is required.");
        }

        var keys = new[] { options.SecretKey, options.PrivateKey, options.PrivateKeyFile }.Count(k => !string.IsNullOrEmpty(k));
        if (keys == 0)
        {
            errors.Add($"A key is required: SecretKey (HMAC), PrivateKey or PrivateKeyFile (Ed25519 or RSA PEM; or {BinanceExchangeOptions.PrivateKeyFileVariable}).");
        }
        else if (keys > 1)
        {
            errors.Add("Set only one of SecretKey, PrivateKey and PrivateKeyFile.");
        }
        else if (string.IsNullOrEmpty(options.SecretKey))
        {
            try
            {
                BinanceSigner.Create(options).Dispose();
            }
            catch (ArgumentException ex)
            {
                errors.Add(ex.Message.Split(" (Parameter", 2)[0]);
            }
        }

        if (options.RecvWindow is < 1 or > 60000)
        {
            errors.Add($"RecvWindow must be 1..60000 ms, got {options.RecvWindow.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (options.RequestWeightPerMinute < 1)
        {
            errors.Add($"RequestWeightPerMinute must be >= 1, got {options.RequestWeightPerMinute.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (options.OrdersPer10Seconds < 1)
        {
            errors.Add($"OrdersPer10Seconds must be >= 1, got {options.OrdersPer10Seconds.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (options.FiltersRefreshEvery <= TimeSpan.Zero)
        {
            errors.Add($"FiltersRefreshEvery must be > 0, got {options.FiltersRefreshEvery.ToString("c", CultureInfo.InvariantCulture)}.");
        }

        foreach (var (url, field) in new[] { (options.RestBaseUrl, "RestBaseUrl"), (options.WebSocketApiUrl, "WebSocketApiUrl"), (options.StreamBaseUrl, "StreamBaseUrl") })
        {
            if (url is { IsAbsoluteUri: false })
            {
                errors.Add($"{field} must be an absolute URL, got '{url}'.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
