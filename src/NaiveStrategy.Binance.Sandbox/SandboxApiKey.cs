namespace NaiveStrategy.Binance.Sandbox;

/// <summary>
/// An API key the sandbox accepts, with the secret that signs its requests (HMAC-SHA256), or, for an Ed25519 or RSA
/// key, the public key that verifies them (<see cref="PublicKeyPem"/>, with an empty <see cref="SecretKey"/>).
/// </summary>
/// <param name="ApiKey">The value clients send in <c>X-MBX-APIKEY</c> (REST) or <c>apiKey</c> (WebSocket API).</param>
/// <param name="SecretKey">The HMAC secret. Never logged and never printed by <see cref="ToString"/>.</param>
public sealed record SandboxApiKey(string ApiKey, string SecretKey)
{
    /// <summary>The PEM public key (<c>-----BEGIN PUBLIC KEY-----</c>) of an Ed25519 or RSA API key; null for an HMAC key.</summary>
    public string? PublicKeyPem { get; init; }

    /// <summary>An Ed25519 or RSA API key verified with the PEM public key in <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The file cannot be read or holds no Ed25519 or RSA public key (the message names the file).</exception>
    public static SandboxApiKey FromPublicKeyFile(string apiKey, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"public key file '{path}' cannot be read: {ex.Message}", nameof(path));
        }

        try
        {
            Internal.KeyVerifier.FromPublicKeyPem(pem);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"public key file '{path}': {ex.Message.Split(" (Parameter", 2)[0]}", nameof(path));
        }

        return new SandboxApiKey(apiKey, string.Empty) { PublicKeyPem = pem };
    }

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
    public override string ToString() => PublicKeyPem is null ? $"SandboxApiKey {{ ApiKey = {ApiKey}, SecretKey = *** }}" : $"SandboxApiKey {{ ApiKey = {ApiKey}, PublicKey }}";

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
