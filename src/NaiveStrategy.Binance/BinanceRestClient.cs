using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace NaiveStrategy.Binance;

/// <summary>
/// Signed Binance REST calls with a server-time offset, recvWindow, one resync-and-retry on -1021, and rate limits per
/// kind (<see cref="BinanceRateLimits"/>: never a retry loop that gets the IP banned). Every failure is an
/// <see cref="ExchangeError"/> value.
/// </summary>
internal sealed class BinanceRestClient
{
    private readonly HttpClient _http;
    private readonly BinanceExchangeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BinanceSigner _signer;
    private long _offsetMs;
    private bool _synced;
    private volatile bool _keyConfirmed;
    private volatile ExchangeError? _keyRejection;
    private long _keyRejectedTicks;

    public BinanceRestClient(HttpClient http, BinanceExchangeOptions options, BinanceSigner signer, TimeProvider time, ILogger logger)
    {
        _signer = signer;
        _http = http;
        _options = options;
        _time = time;
        _logger = logger;
        Limits = new BinanceRateLimits(options, time, () => OffsetMilliseconds);
    }

    /// <summary>The rate limits, read from exchangeInfo and the answers' headers.</summary>
    public BinanceRateLimits Limits { get; }

    /// <summary>Request weight used in the current minute, as Binance last reported it.</summary>
    public int UsedWeight => Limits.Used("X-MBX-USED-WEIGHT-1M");

    /// <summary>Orders placed in the current 10-second window, as Binance last reported it.</summary>
    public int OrderCount10Seconds => Limits.Used("X-MBX-ORDER-COUNT-10S");

    /// <summary>Milliseconds to add to the local clock to get Binance's.</summary>
    public long OffsetMilliseconds => Interlocked.Read(ref _offsetMs);

    public async Task<ExchangeResult<JsonElement>> SendAsync(HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>> parameters, bool signed, int weight, bool placesOrder, CancellationToken cancellationToken)
    {
        if (signed && !_synced)
        {
            await SyncTimeAsync(cancellationToken);
        }

        var result = await SendOnceAsync(method, path, parameters, signed, weight, placesOrder, cancellationToken);
        if (!result.IsSuccess && result.Error.Code == -1021 && signed)
        {
            // Timestamp outside recvWindow: our clock drifted from Binance's. Resync, retry once.
            await SyncTimeAsync(cancellationToken);
            result = await SendOnceAsync(method, path, parameters, signed, weight, placesOrder, cancellationToken);
        }

        if (!result.IsSuccess)
        {
            Log.RequestFailed(_logger, method.Method, path, result.Error);
        }

        return result;
    }

    /// <summary>
    /// Null once Binance took a signed request with our key; otherwise the refusal of the key or signature (-1022,
    /// -2014, -2015) Binance gave, asked again (GET /api/v3/account, weight 20) at most every 10 seconds. Any other
    /// failure says nothing about the key: null.
    /// </summary>
    public async ValueTask<ExchangeError?> CheckKeyAsync(CancellationToken cancellationToken)
    {
        if (_keyConfirmed)
        {
            return null;
        }

        if (_keyRejection is { } known && _time.GetUtcNow().UtcTicks - Interlocked.Read(ref _keyRejectedTicks) < TimeSpan.TicksPerSecond * 10)
        {
            return known;
        }

        var answer = await SendAsync(HttpMethod.Get, "/api/v3/account", [new("omitZeroBalances", "true")], signed: true, weight: 20, placesOrder: false, cancellationToken);
        return !answer.IsSuccess && IsKeyRejection(answer.Error.Code) ? answer.Error : null;
    }

    /// <summary>The codes of a refused API key or signature (errors.md: -1022 INVALID_SIGNATURE, -2014 BAD_API_KEY_FMT, -2015 REJECTED_MBX_KEY).</summary>
    public static bool IsKeyRejection(int code) => code is -1022 or -2014 or -2015;

    /// <summary>An error saying what a refused key or signature means, Binance's code and message kept.</summary>
    public static ExchangeError KeyRejected(int code, string message) => new(ExchangeErrorKind.Rejected, code, "API key or signature rejected: " + message);

    /// <summary>Records a refusal of the key seen on another path (the WebSocket API).</summary>
    public void RecordKeyRejection(ExchangeError error)
    {
        if (!_keyConfirmed || _keyRejection is null)
        {
            Log.KeyRejected(_logger, error.Code, error.Message);
        }

        _keyConfirmed = false;
        Interlocked.Exchange(ref _keyRejectedTicks, _time.GetUtcNow().UtcTicks);
        _keyRejection = error;
    }

    /// <summary>Records that Binance took a request signed with our key.</summary>
    public void RecordKeyAccepted()
    {
        _keyConfirmed = true;
        _keyRejection = null;
    }

    public async Task SyncTimeAsync(CancellationToken cancellationToken)
    {
        var before = _time.GetUtcNow();
        var answer = await SendOnceAsync(HttpMethod.Get, "/api/v3/time", [], signed: false, weight: 1, placesOrder: false, cancellationToken);
        if (!answer.IsSuccess)
        {
            return;
        }

        var after = _time.GetUtcNow();
        var local = before.ToUnixTimeMilliseconds() + ((after - before).Ticks / TimeSpan.TicksPerMillisecond / 2);
        var offset = BinanceJson.Long(answer.Value, "serverTime") - local;
        Interlocked.Exchange(ref _offsetMs, offset);
        _synced = true;
        Log.TimeOffset(_logger, offset);
    }

    private async Task<ExchangeResult<JsonElement>> SendOnceAsync(HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>> parameters, bool signed, int weight, bool placesOrder, CancellationToken cancellationToken)
    {
        if (Limits.Refusal(placesOrder) is { } blocked)
        {
            return blocked;
        }

        var (delay, limit, refused) = Limits.Reserve(weight, placesOrder);
        if (refused is not null)
        {
            return refused;
        }

        if (delay > TimeSpan.Zero)
        {
            Log.Throttle(_logger, limit!, delay);
            await Task.Delay(delay, _time, cancellationToken);
        }

        var query = new List<KeyValuePair<string, string>>(parameters);
        if (signed)
        {
            query.Add(new("recvWindow", _options.RecvWindow.ToString(CultureInfo.InvariantCulture)));
            query.Add(new("timestamp", (_time.GetUtcNow().ToUnixTimeMilliseconds() + OffsetMilliseconds).ToString(CultureInfo.InvariantCulture)));
        }

        var payload = BinanceRequestSigner.Encode(query);
        if (signed)
        {
            // Ed25519 and RSA signatures are base64 ('+', '/', '='): percent-encoded like every other value.
            payload += "&signature=" + Uri.EscapeDataString(_signer.Sign(payload));
        }

        using var request = new HttpRequestMessage(method, new Uri(_options.Rest, path + (payload.Length > 0 ? "?" + payload : "")));
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.Add("X-MBX-APIKEY", _options.ApiKey);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ExchangeError(placesOrder ? ExchangeErrorKind.Unknown : ExchangeErrorKind.Transient, -1007, $"No answer from Binance within {_options.RequestTimeout}.");
        }
        catch (HttpRequestException ex)
        {
            return new ExchangeError(placesOrder ? ExchangeErrorKind.Unknown : ExchangeErrorKind.Transient, 0, "Binance connection failed: " + ex.Message);
        }

        using (response)
        {
            Limits.Track(response);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    using var document = JsonDocument.Parse(body);
                    if (signed)
                    {
                        RecordKeyAccepted();
                    }

                    return document.RootElement.Clone();
                }
                catch (JsonException ex)
                {
                    return new ExchangeError(placesOrder ? ExchangeErrorKind.Unknown : ExchangeErrorKind.Transient, 0, "Binance answered with invalid JSON: " + ex.Message);
                }
            }

            var (code, message) = ParseError(body, status);
            if (response.StatusCode is HttpStatusCode.TooManyRequests || status == 418)
            {
                var until = Limits.Blocked(response.StatusCode, code, response.Headers.RetryAfter?.Delta);
                Log.Backoff(_logger, status, code == -1015 && status == 429 ? "no new order" : "no request", until);
                return new ExchangeError(ExchangeErrorKind.Transient, code == 0 ? -1003 : code, message);
            }

            // A 403 is Binance's web application firewall (rest-api.md, "HTTP Return Codes"): a rate limit or a security
            // block stopped the request before Binance handled it. Nothing was done: asked again later, never taken as a
            // refusal of the order. Its body is a web page, not Binance's JSON: kept to one line.
            if (status == 403)
            {
                return new ExchangeError(ExchangeErrorKind.Transient, code, "Binance's firewall (WAF) refused the request, a rate limit or a security block (HTTP 403): " + message.ReplaceLineEndings(" "));
            }

            // A 5xx, or a code saying the outcome is unknown (-1006, -1007) or the server was too busy (-1008), whatever the
            // status: an order may exist; anything else was not done and can be asked again.
            if (status >= 500 || code is -1006 or -1007 or -1008)
            {
                return new ExchangeError(placesOrder ? ExchangeErrorKind.Unknown : ExchangeErrorKind.Transient, code, message);
            }

            if (signed && IsKeyRejection(code))
            {
                var rejected = KeyRejected(code, message);
                RecordKeyRejection(rejected);
                return rejected;
            }

            return new ExchangeError(Kind(code, message), code, message);
        }
    }

    // The matching engine's codes (-1010, -2010, -2011) carry their meaning in the message (errors.md, "Messages for
    // -1010 ERROR_MSG_RECEIVED, -2010 NEW_ORDER_REJECTED, -2011 CANCEL_REJECTED").
    internal static ExchangeErrorKind Kind(int code, string message) => code switch
    {
        -1010 or -2010 or -2011 when Says(message, "Duplicate order sent") => ExchangeErrorKind.Duplicate,
        -1010 or -2010 or -2011 when Says(message, "Unknown order sent") => ExchangeErrorKind.NotFound,
        -1010 or -2010 => BinanceOrderRejection.Kind(message),
        -1013 when Says(message, "Market is closed") => ExchangeErrorKind.MarketClosed,
        -2013 or -2026 => ExchangeErrorKind.NotFound,
        -1006 or -1007 => ExchangeErrorKind.Unknown,
        -1003 or -1008 or -1015 => ExchangeErrorKind.Transient,
        _ => ExchangeErrorKind.Rejected,
    };

    private static bool Says(string message, string text) => message.Contains(text, StringComparison.OrdinalIgnoreCase);

    private static (int Code, string Message) ParseError(string body, int status)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return (root.TryGetProperty("code", out var c) ? c.GetInt32() : 0, root.TryGetProperty("msg", out var m) ? m.GetString() ?? "" : body);
        }
        catch (JsonException)
        {
            return (0, $"HTTP {status}: {(body.Length > 200 ? body[..200] : body)}");
        }
    }
}
