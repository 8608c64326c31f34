using System.Text.Json;
using System.Text.Json.Nodes;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>The <c>id</c> of a WebSocket request, echoed in its answer: an integer, a string or null, as Binance allows.</summary>
internal static class RequestId
{
    /// <summary>Reads the id of <paramref name="request"/>; false when it has one of another kind.</summary>
    public static bool TryRead(JsonElement request, out JsonNode? id)
    {
        id = null;
        if (!request.TryGetProperty("id", out var element))
        {
            return true;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                id = JsonValue.Create(element.GetString());
                return true;
            case JsonValueKind.Number when element.TryGetInt64(out var number):
                id = JsonValue.Create(number);
                return true;
            case JsonValueKind.Null:
                return true;
            default:
                return false;
        }
    }
}
