namespace NaiveStrategy.Binance.Sandbox;

/// <summary>An API key the sandbox accepts, with the secret that signs its requests (HMAC-SHA256).</summary>
/// <param name="ApiKey">The value clients send in <c>X-MBX-APIKEY</c> (REST) or <c>apiKey</c> (WebSocket API).</param>
/// <param name="SecretKey">The HMAC secret. Never logged and never printed by <see cref="ToString"/>.</param>
public sealed record SandboxApiKey(string ApiKey, string SecretKey)
{
    /// <summary>The environment variable a command line reads the API key from when no flag gives it.</summary>
    public const string ApiKeyVariable = "NAIVE_SANDBOX_API_KEY";

    /// <summary>The environment variable a command line reads the secret key from when no flag gives it (keeps it out of <c>ps</c>).</summary>
    public const string SecretKeyVariable = "NAIVE_SANDBOX_SECRET_KEY";

    /// <summary>
    /// The key a command line asks for. Each part comes from its flag when one was given, else from its environment
    /// variable (<see cref="ApiKeyVariable"/>, <see cref="SecretKeyVariable"/>; empty counts as unset), else from
    /// <paramref name="fallback"/>.
    /// </summary>
    /// <param name="apiKeyFlag">The <c>--api-key</c> value, or null when not given.</param>
    /// <param name="secretKeyFlag">The <c>--secret-key</c> value, or null when not given.</param>
    /// <param name="fallback">The key used for parts neither a flag nor the environment gives.</param>
    /// <param name="environment">Reads a variable; <see cref="Environment.GetEnvironmentVariable(string)"/> by default.</param>
    public static SandboxApiKey FromCommandLineOrEnvironment(string? apiKeyFlag, string? secretKeyFlag, SandboxApiKey fallback, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        environment ??= Environment.GetEnvironmentVariable;
        return new SandboxApiKey(
            apiKeyFlag ?? NonEmpty(environment(ApiKeyVariable)) ?? fallback.ApiKey,
            secretKeyFlag ?? NonEmpty(environment(SecretKeyVariable)) ?? fallback.SecretKey);
    }

    /// <inheritdoc />
    public override string ToString() => $"SandboxApiKey {{ ApiKey = {ApiKey}, SecretKey = *** }}";

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
