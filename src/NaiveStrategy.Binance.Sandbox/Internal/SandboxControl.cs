using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>
/// The non-Binance control endpoints, without HTTP: <c>POST /sandbox/trades?speed=</c>, <c>POST /sandbox/faults</c>,
/// <c>POST /sandbox/drop</c>. A request is checked whole before anything is applied; bad input is a 400 naming it.
/// </summary>
internal sealed class SandboxControl(
    SandboxEngine engine,
    SandboxFaults faults,
    Func<IReadOnlyList<TradeEvent>, double, CancellationToken, Task<int>> replay,
    Action<SandboxSocketKinds> drop,
    TimeProvider time)
{
    private long _nextTradeId;

    public async Task<RestAnswer> HandleAsync(string method, string path, string rawQuery, string body, CancellationToken cancellationToken)
    {
        if (method != "POST")
        {
            return Answer(405, -1000, $"Use POST for {path}.");
        }

        try
        {
            switch (path)
            {
                case "/sandbox/trades":
                    if (Speed(rawQuery, out var speed) is { } speedError)
                    {
                        return RestAnswer.Of(speedError);
                    }

                    if (ControlTrades.Parse(body, engine.Symbols, time.GetUtcNow(), () => Interlocked.Increment(ref _nextTradeId), out var error) is not { } trades)
                    {
                        return RestAnswer.Of(error!);
                    }

                    var published = await replay(trades, speed, cancellationToken);
                    return new RestAnswer(200, new JsonObject { ["published"] = published }.ToJsonString(), []);
                case "/sandbox/faults":
                    SandboxFaultOptions options;
                    try
                    {
                        options = SandboxFaultOptions.Parse(body);
                    }
                    catch (Exception ex) when (ex is FormatException or ArgumentException)
                    {
                        return Answer(400, -1100, ex.Message);
                    }

                    faults.Apply(options);
                    return new RestAnswer(200, "{}", []);
                case "/sandbox/drop":
                    drop(SandboxSocketKinds.All);
                    return new RestAnswer(200, "{}", []);
                default:
                    return Answer(404, -1000, $"Unknown sandbox control path {path}: use /sandbox/trades, /sandbox/faults or /sandbox/drop.");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            engine.ReportUnexpected("sandbox control", ex);
            return RestAnswer.Of(ApiError.Unknown());
        }
    }

    // speed: empty = 0 (as fast as possible), else a number >= 0 or Infinity.
    private static ApiError? Speed(string rawQuery, out double speed)
    {
        speed = 0;
        var query = QueryHelpers.ParseQuery(rawQuery);
        if (!query.TryGetValue("speed", out var values) || values.ToString().Length == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            return ApiError.Duplicate("speed");
        }

        // No sign, no exponent; "Infinity" parses, "NaN" parses too but fails the comparison.
        var text = values.ToString();
        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out speed) && speed >= 0
            ? null
            : new ApiError(400, -1100, $"speed must be a number >= 0 (1 = real time, 0 or Infinity = as fast as possible), got '{(text.Length > 40 ? text[..40] + "…" : text)}'.");
    }

    private static RestAnswer Answer(int status, int code, string message) =>
        new(status, new JsonObject { ["code"] = code, ["msg"] = message }.ToJsonString(), []);
}
