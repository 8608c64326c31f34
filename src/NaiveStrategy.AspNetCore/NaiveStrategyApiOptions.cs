using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace NaiveStrategy.AspNetCore;

/// <summary>Options of the control API (<c>services.AddNaiveStrategyApi(…)</c>).</summary>
public sealed class NaiveStrategyApiOptions
{
    /// <summary>The environment variable the bearer token is read from when <see cref="Token"/> is not set.</summary>
    public const string TokenVariable = "NAIVE_API_TOKEN";

    /// <summary>The shortest token accepted: shorter ones are guessable.</summary>
    public const int MinTokenLength = 16;

    /// <summary>
    /// The bearer token every <c>/api</c> route asks for (<c>Authorization: Bearer TOKEN</c>). When null, it is
    /// read from <see cref="TokenVariable"/>, or else generated (<see cref="TokenGenerated"/>): the host
    /// should then print it once, so its user can reach the API.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>True when <see cref="Token"/> was generated at start (neither set nor in the environment).</summary>
    public bool TokenGenerated { get; internal set; }

    /// <summary>How often <c>/api/events</c> sends a keep-alive comment while nothing happens.</summary>
    public TimeSpan EventsKeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Says whether the token was generated, never the token: options may end up in logs.</summary>
    public override string ToString() => $"NaiveStrategyApiOptions (token {(TokenGenerated ? "generated" : "given")})";

    internal static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}

/// <summary>Fills <see cref="NaiveStrategyApiOptions.Token"/> from the environment or a fresh random token.</summary>
internal sealed class NaiveStrategyApiTokenSetup : IPostConfigureOptions<NaiveStrategyApiOptions>
{
    public void PostConfigure(string? name, NaiveStrategyApiOptions options)
    {
        if (!string.IsNullOrEmpty(options.Token))
        {
            return;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(NaiveStrategyApiOptions.TokenVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            options.Token = fromEnvironment;
            return;
        }

        options.Token = NaiveStrategyApiOptions.NewToken();
        options.TokenGenerated = true;
    }
}

/// <summary>Rejects tokens that are too short or have spaces, and keep-alives that are not positive.</summary>
internal sealed class NaiveStrategyApiOptionsValidator : IValidateOptions<NaiveStrategyApiOptions>
{
    public ValidateOptionsResult Validate(string? name, NaiveStrategyApiOptions options)
    {
        var errors = new List<string>();
        var token = options.Token ?? "";
        if (token.Length < NaiveStrategyApiOptions.MinTokenLength)
        {
            errors.Add($"the API token ({NaiveStrategyApiOptions.TokenVariable}) must be at least {NaiveStrategyApiOptions.MinTokenLength} characters, got {token.Length}.");
        }

        if (token.Any(char.IsWhiteSpace))
        {
            errors.Add($"the API token ({NaiveStrategyApiOptions.TokenVariable}) must not contain white space.");
        }

        if (options.EventsKeepAlive <= TimeSpan.Zero)
        {
            errors.Add($"EventsKeepAlive must be > 0, got {options.EventsKeepAlive}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
