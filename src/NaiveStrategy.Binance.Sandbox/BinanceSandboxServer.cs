using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NaiveStrategy.Binance.Sandbox.Internal;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Binance.Sandbox;

/// <summary>
/// A Binance-compatible server on 127.0.0.1: REST (<c>/api/v3/...</c>), market streams (<c>/ws/...</c>,
/// <c>/stream?streams=...</c>) and the WebSocket API (<c>/ws-api/v3</c>, with the user data stream), all backed by
/// ONE <see cref="InMemoryExchange"/>. Faults are injected through <see cref="Faults"/>.
/// Non-Binance control endpoints: <c>POST /sandbox/trades?speed=</c> (replay a JSON array of trades),
/// <c>POST /sandbox/faults</c> (body: a fault list, see <see cref="SandboxFaultOptions.Parse"/>), <c>POST /sandbox/drop</c>.
/// </summary>
public sealed partial class BinanceSandboxServer : IAsyncDisposable
{
    private const int MaxRestBodyBytes = 1 << 20;
    private static readonly TimeSpan MaxDelayStep = TimeSpan.FromDays(1);
    private readonly SandboxOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly SandboxEngine _engine;
    private readonly RestGateway _rest;
    private readonly SandboxControl _control;
    private readonly ConcurrentDictionary<SocketConnection, byte> _sockets = new();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private string? _restBaseUrl;
    private long _webSocketApiAccepted;
    private long _marketStreamsAccepted;

    /// <summary>Creates a server; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Validated here.</param>
    /// <param name="loggerFactory">Logging for the server and Kestrel; none by default.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public BinanceSandboxServer(SandboxOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<BinanceSandboxServer>();
        var symbols = new Dictionary<string, SymbolFilters>(StringComparer.Ordinal);
        if (options.ExchangeInfoPath is { } path)
        {
            foreach (var filters in ExchangeInfoFile.Load(path))
            {
                symbols[filters.Symbol] = filters;
            }
        }

        foreach (var filters in options.Symbols)
        {
            symbols[filters.Symbol] = filters;
        }

        if (symbols.Count == 0)
        {
            symbols[SymbolFilterPresets.XrpUsdt.Symbol] = SymbolFilterPresets.XrpUsdt;
        }

        Faults = new SandboxFaults(options.Faults, DropWebSockets);
        _engine = new SandboxEngine(options, symbols.Values.ToArray(), Faults, Diagnostics, _logger);
        _rest = new RestGateway(_engine);
        _control = new SandboxControl(_engine, Faults, (trades, speed, ct) => ReplayAsync(trades, speed, ct), DropWebSockets, options.TimeProvider);
    }

    /// <summary>Faults to inject, changeable while the server runs.</summary>
    public SandboxFaults Faults { get; }

    /// <summary>The matching engine. Read its state freely; publish trades through <see cref="PublishTrade"/> or <see cref="ReplayAsync"/>.</summary>
    public InMemoryExchange Exchange => _engine.Exchange;

    /// <summary>Queued messages, open connections, slow consumers cut off, unexpected errors.</summary>
    internal SandboxDiagnostics Diagnostics { get; } = new();

    /// <summary>The open WebSocket connections.</summary>
    internal IReadOnlyCollection<SocketConnection> Connections => [.. _sockets.Keys];

    /// <summary>The REST face without HTTP (in-process tests).</summary>
    internal RestGateway RestFace => _rest;

    /// <summary>The control endpoints without HTTP (in-process tests).</summary>
    internal SandboxControl Control => _control;

    /// <summary>The shared pipeline (in-process tests build sessions on it).</summary>
    internal SandboxEngine Engine => _engine;

    /// <summary>The port listened on (after <see cref="StartAsync"/>).</summary>
    public int Port { get; private set; }

    /// <summary>REST base URL, e.g. <c>http://127.0.0.1:5123</c> (no trailing slash).</summary>
    /// <exception cref="InvalidOperationException">The server is not started.</exception>
    public string RestBaseUrl => _restBaseUrl ?? throw new InvalidOperationException("The sandbox server is not started.");

    /// <summary>WebSocket API URL, e.g. <c>ws://127.0.0.1:5123/ws-api/v3</c>.</summary>
    /// <exception cref="InvalidOperationException">The server is not started.</exception>
    public string WebSocketApiUrl => StreamBaseUrl + "/ws-api/v3";

    /// <summary>Market streams base URL, e.g. <c>ws://127.0.0.1:5123</c> (append <c>/ws/&lt;stream&gt;</c> or <c>/stream?streams=</c>).</summary>
    /// <exception cref="InvalidOperationException">The server is not started.</exception>
    public string StreamBaseUrl => "ws" + RestBaseUrl[4..];

    /// <summary>Starts listening on 127.0.0.1 (only) at the configured port.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The sandbox server is already started.");
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, _options.Port));
        builder.Services.AddSingleton(_loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = _options.PingInterval, KeepAliveTimeout = _options.PongTimeout });
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        _restBaseUrl = "http://127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);
        Log.Listening(_logger, RestBaseUrl, WebSocketApiUrl, StreamBaseUrl);
    }

    /// <summary>
    /// Adds <paramref name="amount"/> of <paramref name="asset"/> to the account (negative: a withdrawal) and tells the user
    /// data subscriptions, as Binance does: <c>balanceUpdate</c>, then <c>outboundAccountPosition</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A withdrawal larger than the free balance.</exception>
    public void Deposit(string asset, decimal amount) => _engine.Deposit(asset, amount);

    /// <summary>A public trade happens now: crossing orders fill (executionReports), then the trade stream publishes it.</summary>
    public void PublishTrade(in TradeEvent trade) => _engine.PublishTrade(trade);

    /// <summary>
    /// Ends every user data subscription while its connection stays open, each told with <c>eventStreamTerminated</c>
    /// (as Binance does when a subscription expires or is ended server-side). Returns how many ended.
    /// </summary>
    public int EndUserDataSubscriptions() => _engine.TerminateAll();

    /// <summary>
    /// <see cref="PublishTrade"/> for asynchronous callers: waits for the sandbox's turn without blocking a thread (many
    /// callers blocked in <see cref="PublishTrade"/> hold thread-pool threads the server's own requests need).
    /// </summary>
    public Task PublishTradeAsync(TradeEvent trade, CancellationToken cancellationToken = default) => _engine.PublishTradeAsync(trade, cancellationToken);

    /// <summary>
    /// Publishes <paramref name="trades"/> in order, paced by their timestamps divided by <paramref name="speed"/>
    /// (0 or infinity: as fast as the WebSocket clients read: the replay waits while a client's send queue is over half
    /// its bound, and stops waiting for one still behind after 10 s, which is then cut off as a slow consumer).
    /// Returns the number published.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="speed"/> is negative or NaN.</exception>
    public async Task<int> ReplayAsync(IEnumerable<TradeEvent> trades, double speed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trades);
        if (double.IsNaN(speed) || speed < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "Replay speed must be >= 0 (0 or infinity = as fast as possible).");
        }

        var time = _options.TimeProvider;
        var paced = speed > 0 && !double.IsPositiveInfinity(speed);
        DateTimeOffset? first = null;
        var start = time.GetTimestamp();
        var count = 0;
        HashSet<SocketConnection>? stalled = null;
        var readerCheck = Math.Clamp(_options.MaxQueuedMessagesPerConnection / 4, 1, 16);
        foreach (var trade in trades)
        {
            first ??= trade.Time;
            if (paced)
            {
                // A very slow speed can put a trade beyond TimeSpan's range, and one delay is limited to ~49 days.
                var dueTicks = (trade.Time - first.Value).Ticks / speed;
                var due = dueTicks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)Math.Max(dueTicks, 0));
                for (var wait = due - time.GetElapsedTime(start); wait > TimeSpan.Zero; wait = due - time.GetElapsedTime(start))
                {
                    await Task.Delay(wait < MaxDelayStep ? wait : MaxDelayStep, time, cancellationToken);
                }
            }

            await _engine.PublishTradeAsync(trade, cancellationToken);
            if (++count % readerCheck == 0)
            {
                await WaitForReadersAsync(stalled ??= [], cancellationToken);
            }
        }

        Log.ReplayFinished(_logger, count);
        return count;
    }

    // Socket I/O, not market time: real time, so a fake TimeProvider does not stall it.
    private async Task WaitForReadersAsync(HashSet<SocketConnection> stalled, CancellationToken cancellationToken)
    {
        var deadline = Environment.TickCount64 + (long)SocketConnection.CloseTimeout.TotalMilliseconds;
        while (_sockets.Keys.FirstOrDefault(c => !stalled.Contains(c) && c.Outbox.IsHalfFull) is { } behind)
        {
            if (Environment.TickCount64 >= deadline)
            {
                stalled.Add(behind);
                continue;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System, cancellationToken);
        }
    }

    /// <summary>Stops listening and drops every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        DropWebSockets(SandboxSocketKinds.All);
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }

        _engine.Dispose();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (context.WebSockets.IsWebSocketRequest)
        {
            await HandleWebSocketAsync(context, path);
            return;
        }

        var request = context.Request;
        RestAnswer answer;
        try
        {
            var control = path.StartsWith("/sandbox/", StringComparison.Ordinal);
            var body = string.Empty;
            if (control || request.HasFormContentType)
            {
                if (!control && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = MaxRestBodyBytes;
                }

                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                body = await reader.ReadToEndAsync(context.RequestAborted);
            }

            var query = request.QueryString.Value ?? string.Empty;
            var apiKey = request.Headers["X-MBX-APIKEY"].ToString();
            answer = control
                ? await _control.HandleAsync(request.Method, path, query, body, context.RequestAborted)
                : await _rest.HandleAsync(new RestCall(request.Method, path, query, body, apiKey.Length == 0 ? null : apiKey, Ip(context), request.Headers[TimeUnits.Header].ToString()), context.RequestAborted);
        }
        catch (BadHttpRequestException ex)
        {
            // The body broke Kestrel's limits (size, framing): still a Binance-shaped answer.
            answer = RestAnswer.Of(new ApiError(ex.StatusCode, ex.StatusCode == 413 ? -1101 : -1100, ex.Message));
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            _engine.ReportUnexpected("HTTP", ex);
            answer = RestAnswer.Of(ApiError.Unknown());
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var response = context.Response;
        response.StatusCode = answer.Status;
        response.ContentType = "application/json;charset=UTF-8";
        foreach (var (name, value) in answer.Headers)
        {
            response.Headers[name] = value;
        }

        await response.WriteAsync(answer.Json, context.RequestAborted);
    }

    private static string Ip(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1";
}
