namespace NaiveStrategy.Binance.Sandbox;

/// <summary>Which WebSocket connections a fault applies to.</summary>
[Flags]
public enum SandboxSocketKinds
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>WebSocket API connections (<c>/ws-api/v3</c>), which carry the user data stream.</summary>
    WebSocketApi = 1,

    /// <summary>Market stream connections (<c>/ws/...</c> and <c>/stream?streams=...</c>).</summary>
    MarketStreams = 2,

    /// <summary>Both kinds.</summary>
    All = WebSocketApi | MarketStreams,
}
