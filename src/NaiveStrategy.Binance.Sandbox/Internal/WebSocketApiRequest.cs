using System.Text.Json;
using System.Text.Json.Nodes;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// A WebSocket API request read from a text frame: <c>{"id": INT|STRING|null, "method": STRING, "params": OBJECT}</c>
/// (params optional). Anything else earns a Binance error rather than an exception: -1135 for JSON that is not such an
/// object, -1102 for a missing method. The id is echoed whenever it could be read.
/// </summary>
internal sealed record WebSocketApiRequest(JsonNode? Id, string Method, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The request, or null with the error to answer and the id to answer it with (null when unreadable).</summary>
    public static WebSocketApiRequest? Parse(string text, out JsonNode? id, out ApiError? error)
    {
        id = null;
        error = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = ApiError.InvalidJson($"expected an object, got {Describe(root.ValueKind)}.");
                return null;
            }

            if (!RequestId.TryRead(root, out id))
            {
                error = new ApiError(400, -1135, "Invalid 'id' in JSON request; expected an integer, a string or null.");
                return null;
            }

            if (!root.TryGetProperty("method", out var methodElement) || methodElement.ValueKind == JsonValueKind.Null
                || (methodElement.ValueKind == JsonValueKind.String && methodElement.GetString()!.Length == 0))
            {
                error = ApiError.Mandatory("method");
                return null;
            }

            if (methodElement.ValueKind != JsonValueKind.String)
            {
                error = new ApiError(400, -1135, "Invalid 'method' in JSON request; expected a string.");
                return null;
            }

            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("params", out var paramsElement) && paramsElement.ValueKind != JsonValueKind.Null)
            {
                if (paramsElement.ValueKind != JsonValueKind.Object)
                {
                    error = new ApiError(400, -1135, "Invalid 'params' in JSON request; expected an object.");
                    return null;
                }

                foreach (var property in paramsElement.EnumerateObject())
                {
                    // Scalars as their text; arrays and objects (e.g. exchangeInfo's symbols) as their JSON; null as absent.
                    switch (property.Value.ValueKind)
                    {
                        case JsonValueKind.Null:
                            parameters.Remove(property.Name);
                            break;
                        case JsonValueKind.String:
                            parameters[property.Name] = property.Value.GetString()!;
                            break;
                        default:
                            parameters[property.Name] = property.Value.GetRawText();
                            break;
                    }
                }
            }

            return new WebSocketApiRequest(id, methodElement.GetString()!, parameters);
        }
        catch (JsonException ex)
        {
            error = ApiError.InvalidJson(ex.Message);
            return null;
        }
        catch (InvalidOperationException)
        {
            // A string the reader cannot turn into UTF-16, such as an escaped lone surrogate ("\ud800").
            error = ApiError.InvalidJson("a string holds an invalid escape sequence.");
            return null;
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
