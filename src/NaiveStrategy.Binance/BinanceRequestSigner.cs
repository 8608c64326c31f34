using System.Security.Cryptography;
using System.Text;

namespace NaiveStrategy.Binance;

/// <summary>Binance's request signature: lowercase hex HMAC-SHA256 of the payload with the secret key.</summary>
public static class BinanceRequestSigner
{
    /// <summary>Signs <paramref name="payload"/> (the percent-encoded query string, followed by the body if any).</summary>
    public static string Sign(string secretKey, string payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        ArgumentNullException.ThrowIfNull(payload);
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(payload));
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Percent-encodes parameters as Binance signs them: <c>k=v&amp;k=v</c> in the given order.</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
}
