using System.Globalization;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Binance.Sandbox;

/// <summary>Options of <see cref="BinanceSandboxServer"/>. Validated when the server starts.</summary>
public sealed class SandboxOptions
{
    private const long MinQueuedBytes = 64 * 1024;

    /// <summary>TCP port on 127.0.0.1; 0 picks any free port.</summary>
    public int Port { get; set; }

    /// <summary>Accepted API keys with their secrets. All keys share one account.</summary>
    public IList<SandboxApiKey> ApiKeys { get; } = new List<SandboxApiKey>();

    /// <summary>
    /// Tradable symbols and their filters (added to those of <see cref="ExchangeInfoPath"/>; these win). When neither is set,
    /// the server trades XRPUSDT as Binance lists it (<see cref="SymbolFilterPresets.XrpUsdt"/>).
    /// </summary>
    public IList<SymbolFilters> Symbols { get; } = new List<SymbolFilters>();

    /// <summary>Optional Binance <c>GET /api/v3/exchangeInfo</c> JSON file whose TRADING symbols are loaded (NOTIONAL or MIN_NOTIONAL).</summary>
    public string? ExchangeInfoPath { get; set; }

    /// <summary>Starting free balances by asset. Holds 10,000 USDT unless changed.</summary>
    public IDictionary<string, decimal> Balances { get; } = new Dictionary<string, decimal>(StringComparer.Ordinal) { ["USDT"] = 10_000m };

    /// <summary>Fee rate of maker fills, and of taker fills unless <see cref="TakerFeeRate"/> is set (0.1 % by default, Binance's base rate).</summary>
    public decimal FeeRate { get; set; } = 0.001m;

    /// <summary>Fee rate of taker fills (an order that crosses the last trade's price on arrival); null: <see cref="FeeRate"/>.</summary>
    public decimal? TakerFeeRate { get; set; }

    /// <summary>Which asset pays the fee.</summary>
    public FeeAsset FeeAsset { get; set; } = FeeAsset.Received;

    /// <summary>When true a market trade fills crossing orders only up to its own quantity.</summary>
    public bool PartialFills { get; set; }

    /// <summary>
    /// Every symbol's <c>defaultSelfTradePreventionMode</c>: the mode of an order sent without <c>selfTradePreventionMode</c>
    /// (<see cref="SelfTradePreventionMode.ExpireMaker"/> by default: Binance's docs leave it to each symbol and their
    /// example says NONE, but the spot symbols Binance lists answer EXPIRE_MAKER, so an order that meets one of the
    /// account's own resting orders expires that resting order).
    /// </summary>
    public SelfTradePreventionMode DefaultSelfTradePreventionMode { get; set; } = SelfTradePreventionMode.ExpireMaker;

    /// <summary>Every symbol's <c>allowedSelfTradePreventionModes</c> (all five by default); another mode is -1013.</summary>
    public ISet<SelfTradePreventionMode> AllowedSelfTradePreventionModes { get; } = new HashSet<SelfTradePreventionMode>(Enum.GetValues<SelfTradePreventionMode>());

    /// <summary>Interval of the server's WebSocket PING frames (Binance: 20 s).</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A connection that does not answer a PING with a PONG within this time is closed (Binance: 1 min).</summary>
    public TimeSpan PongTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Most messages one WebSocket connection may have waiting to be sent (10,000 by default). A client that lets more
    /// pile up is a slow consumer: its queue is dropped and it is disconnected with close status 1008, as Binance
    /// disconnects clients that do not keep up. Raise it for clients that read slower than a fast replay publishes.
    /// </summary>
    public int MaxQueuedMessagesPerConnection { get; set; } = 10_000;

    /// <summary>Most UTF-8 bytes one WebSocket connection may have waiting to be sent (16 MiB by default); see <see cref="MaxQueuedMessagesPerConnection"/>.</summary>
    public long MaxQueuedBytesPerConnection { get; set; } = 16L * 1024 * 1024;

    /// <summary>Messages a market stream connection may send per second; one that sends more is disconnected (Binance: 5).</summary>
    public int MaxIncomingMessagesPerSecond { get; set; } = 5;

    /// <summary>Request weight allowed per minute and IP before HTTP 429 (Binance: 6000).</summary>
    public int RequestWeightPerMinute { get; set; } = 6000;

    /// <summary>Orders one account may place per 10 seconds before HTTP 429 with -1015 (Binance: 100).</summary>
    public int OrdersPer10Seconds { get; set; } = 100;

    /// <summary>Orders one account may place per day before HTTP 429 with -1015 (Binance: 200,000).</summary>
    public int OrdersPerDay { get; set; } = 200_000;

    /// <summary>Faults injected from the start; change them at run time through <see cref="BinanceSandboxServer.Faults"/>.</summary>
    public SandboxFaultOptions Faults { get; set; } = new();

    /// <summary>Trades <see cref="SandboxHost"/> replays once the server is listening (none by default).</summary>
    public IEnumerable<TradeEvent>? ReplayTrades { get; set; }

    /// <summary>Replay speed: 1 = real time, 10 = ten times faster, 0 or infinity = as fast as possible.</summary>
    public double ReplaySpeed { get; set; } = 1;

    /// <summary>The server clock (timestamps, recvWindow checks, replay pacing); the system clock by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws when the options cannot work.</summary>
    /// <exception cref="ArgumentException">The message names the invalid option and its value.</exception>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"SandboxOptions.Port must be in [0, 65535], got {Port.ToString(CultureInfo.InvariantCulture)}.", nameof(Port));
        }

        if (ApiKeys.Count == 0)
        {
            throw new ArgumentException("SandboxOptions.ApiKeys must hold at least one API key and secret.", nameof(ApiKeys));
        }

        foreach (var key in ApiKeys)
        {
            if (string.IsNullOrWhiteSpace(key.ApiKey) || (string.IsNullOrEmpty(key.SecretKey) && string.IsNullOrEmpty(key.PublicKeyPem)))
            {
                throw new ArgumentException("SandboxOptions.ApiKeys: every entry needs a non-empty API key and a secret key or public key.", nameof(ApiKeys));
            }

            if (!string.IsNullOrEmpty(key.PublicKeyPem))
            {
                try
                {
                    Internal.KeyVerifier.FromPublicKeyPem(key.PublicKeyPem);
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException($"SandboxOptions.ApiKeys: the key of '{key.ApiKey}': {ex.Message.Split(" (Parameter", 2)[0]}", nameof(ApiKeys));
                }
            }
        }

        if (ApiKeys.Select(k => k.ApiKey).Distinct(StringComparer.Ordinal).Count() != ApiKeys.Count)
        {
            throw new ArgumentException("SandboxOptions.ApiKeys: the same API key is listed twice.", nameof(ApiKeys));
        }

        if (ExchangeInfoPath is not null && !File.Exists(ExchangeInfoPath))
        {
            throw new ArgumentException($"SandboxOptions.ExchangeInfoPath '{ExchangeInfoPath}' does not exist.", nameof(ExchangeInfoPath));
        }

        if (PingInterval <= TimeSpan.Zero || PongTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"SandboxOptions.PingInterval ({PingInterval}) and PongTimeout ({PongTimeout}) must be > 0.", nameof(PingInterval));
        }

        if (RequestWeightPerMinute <= 0)
        {
            throw new ArgumentException($"SandboxOptions.RequestWeightPerMinute must be > 0, got {RequestWeightPerMinute.ToString(CultureInfo.InvariantCulture)}.", nameof(RequestWeightPerMinute));
        }

        if (OrdersPer10Seconds <= 0 || OrdersPerDay <= 0)
        {
            throw new ArgumentException(
                $"SandboxOptions.OrdersPer10Seconds ({OrdersPer10Seconds.ToString(CultureInfo.InvariantCulture)}) and OrdersPerDay ({OrdersPerDay.ToString(CultureInfo.InvariantCulture)}) must be > 0.", nameof(OrdersPer10Seconds));
        }

        if (MaxIncomingMessagesPerSecond <= 0)
        {
            throw new ArgumentException($"SandboxOptions.MaxIncomingMessagesPerSecond must be > 0, got {MaxIncomingMessagesPerSecond.ToString(CultureInfo.InvariantCulture)}.", nameof(MaxIncomingMessagesPerSecond));
        }

        if (MaxQueuedMessagesPerConnection <= 0)
        {
            throw new ArgumentException($"SandboxOptions.MaxQueuedMessagesPerConnection must be > 0, got {MaxQueuedMessagesPerConnection.ToString(CultureInfo.InvariantCulture)}.", nameof(MaxQueuedMessagesPerConnection));
        }

        if (MaxQueuedBytesPerConnection < MinQueuedBytes)
        {
            throw new ArgumentException(
                $"SandboxOptions.MaxQueuedBytesPerConnection must be >= {MinQueuedBytes.ToString(CultureInfo.InvariantCulture)} (room for an exchangeInfo answer), got {MaxQueuedBytesPerConnection.ToString(CultureInfo.InvariantCulture)}.",
                nameof(MaxQueuedBytesPerConnection));
        }

        if (!AllowedSelfTradePreventionModes.Contains(DefaultSelfTradePreventionMode))
        {
            throw new ArgumentException(
                $"SandboxOptions.DefaultSelfTradePreventionMode {DefaultSelfTradePreventionMode} must be one of AllowedSelfTradePreventionModes ({string.Join(", ", AllowedSelfTradePreventionModes)}).", nameof(DefaultSelfTradePreventionMode));
        }

        if (double.IsNaN(ReplaySpeed) || ReplaySpeed < 0)
        {
            throw new ArgumentException($"SandboxOptions.ReplaySpeed must be >= 0, got {ReplaySpeed.ToString(CultureInfo.InvariantCulture)}.", nameof(ReplaySpeed));
        }

        ArgumentNullException.ThrowIfNull(Faults);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        Faults.Validate();
        foreach (var symbol in Symbols)
        {
            symbol.Validate();
        }
    }
}
