using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace NaiveStrategy.AspNetCore;

/// <summary>Checks <c>Authorization: Bearer TOKEN</c> in constant time (hashes compared, so lengths leak nothing either).</summary>
internal sealed class BearerToken(IOptions<NaiveStrategyApiOptions> options)
{
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Token ?? throw new InvalidOperationException("The API token was not set.")));

    public bool Accepts(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, _expected);
    }
}

/// <summary>401 with a problem-details body for any <c>/api</c> request without the right bearer token.</summary>
internal sealed class BearerTokenFilter(BearerToken token) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (token.Accepts(context.HttpContext.Request))
        {
            return await next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: $"send the API token as 'Authorization: Bearer TOKEN' (the token is {NaiveStrategyApiOptions.TokenVariable}, or the one printed at start).");
    }
}
