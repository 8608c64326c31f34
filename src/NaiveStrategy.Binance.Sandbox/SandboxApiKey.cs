namespace NaiveStrategy.Binance.Sandbox;

/// <summary>An API key the sandbox accepts, with the secret that signs its requests (HMAC-SHA256).</summary>
/// <param name="ApiKey">The value clients send in <c>X-MBX-APIKEY</c> (REST) or <c>apiKey</c> (WebSocket API).</param>
/// <param name="SecretKey">The HMAC secret. Never logged and never printed by <see cref="ToString"/>.</param>
public sealed record SandboxApiKey(string ApiKey, string SecretKey)
{
    /// <inheritdoc />
    public override string ToString() => $"SandboxApiKey {{ ApiKey = {ApiKey}, SecretKey = *** }}";
}
