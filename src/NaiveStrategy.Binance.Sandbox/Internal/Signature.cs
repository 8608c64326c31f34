using System.Security.Cryptography;
using System.Text;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>Binance HMAC-SHA256 signatures: lowercase hex over the payload.</summary>
internal static class Signature
{
    public static string Compute(string secretKey, string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(payload)));

    public static bool Matches(string secretKey, IReadOnlyList<string> payloads, string signature)
    {
        var given = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        foreach (var payload in payloads)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(secretKey, payload)), given))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The REST payloads: the raw query string then the raw body, each without its <c>signature</c> parameter,
    /// as sent and re-encoded the way the official connectors encode before signing.
    /// </summary>
    public static IReadOnlyList<string> RestPayloads(string rawQuery, string rawBody)
    {
        var query = WithoutSignature(rawQuery);
        var body = WithoutSignature(rawBody);
        var raw = query + body;
        var encoded = Reencode(query) + Reencode(body);
        return raw == encoded ? [raw] : [raw, encoded];
    }

    private static string Reencode(string query) =>
        string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            return eq < 0 ? pair : pair[..(eq + 1)] + EncodeUriComponent(Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' ')));
        }));

    /// <summary>
    /// The WebSocket API payloads: parameters except <c>signature</c> sorted by name, as <c>k=v</c> joined by '&amp;',
    /// raw and percent-encoded the way the official connectors encode (encodeURIComponent).
    /// </summary>
    public static IReadOnlyList<string> WebSocketPayloads(IReadOnlyDictionary<string, string> parameters)
    {
        var sorted = parameters.Where(p => p.Key != "signature").OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        var raw = string.Join('&', sorted.Select(p => p.Key + "=" + p.Value));
        var encoded = string.Join('&', sorted.Select(p => p.Key + "=" + EncodeUriComponent(p.Value)));
        return raw == encoded ? [raw] : [raw, encoded];
    }

    private static string WithoutSignature(string query)
    {
        query = query.TrimStart('?');
        if (!query.Contains("signature=", StringComparison.Ordinal))
        {
            return query;
        }

        return string.Join('&', query.Split('&').Where(p => !p.StartsWith("signature=", StringComparison.Ordinal)));
    }

    // JavaScript's encodeURIComponent: RFC 3986 unreserved characters plus !*'() stay as they are.
    private static string EncodeUriComponent(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || "-_.!~*'()".Contains(c, StringComparison.Ordinal))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
