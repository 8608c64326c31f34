using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace NaiveStrategy.AspNetCore;

/// <summary><c>/api/symbols…</c>: state and control of each symbol, through the engine only.</summary>
internal static class SymbolEndpoints
{
    // How long a control answer waits for the symbol's loop to apply it (it usually has by the time Post returns).
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/symbols", (NaiveStrategyEngine engine) => Json(engine.KnownSymbols.Select(s => View(engine, s)!).ToArray()));
        api.MapGet("/symbols/{symbol}", (string symbol, NaiveStrategyEngine engine) =>
            View(engine, Normalize(symbol)) is { } view ? Json(view) : Unknown(symbol));
        api.MapPost("/symbols/{symbol}/start", StartAsync);
        api.MapPost("/symbols/{symbol}/stop", (string symbol, NaiveStrategyEngine engine, CancellationToken ct) =>
            ControlAsync(engine, Normalize(symbol), e => e.StopTrading(Normalize(symbol)), s => s == SymbolStatus.Off, ct));
        api.MapPost("/symbols/{symbol}/shutdown", (string symbol, NaiveStrategyEngine engine, CancellationToken ct) =>
            ControlAsync(engine, Normalize(symbol), e => e.ShutdownTrading(Normalize(symbol)), s => s != SymbolStatus.On, ct));
        api.MapPatch("/symbols/{symbol}/settings", PatchSettingsAsync);
    }

    private static string Normalize(string symbol) => symbol.ToUpperInvariant();

    private static SymbolView? View(NaiveStrategyEngine engine, string symbol) =>
        engine.GetState(symbol) is { } state ? SymbolView.Of(state) : engine.GetSettings(symbol) is { } configured ? SymbolView.Configured(configured) : null;

    private static IResult Json(object value) => Results.Json(value, ApiJson.Options);

    private static IResult Unknown(string symbol) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown symbol", detail: $"symbol '{symbol}' is neither configured nor started.");

    private static async Task<IResult> StartAsync(string symbol, NaiveStrategyEngine engine, CancellationToken cancellationToken)
    {
        var name = Normalize(symbol);
        if (engine.GetSettings(name) is null)
        {
            return Unknown(symbol);
        }

        try
        {
            await engine.StartTradingAsync(name, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The exchange did not answer", detail: ex.Message);
        }
        catch (ArgumentException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Cannot start", detail: ex.Message);
        }

        return await StatusAfterAsync(engine, name, s => s == SymbolStatus.On, cancellationToken);
    }

    private static async Task<IResult> ControlAsync(NaiveStrategyEngine engine, string symbol, Action<NaiveStrategyEngine> act, Func<SymbolStatus, bool> done, CancellationToken cancellationToken)
    {
        if (engine.GetSettings(symbol) is null)
        {
            return Unknown(symbol);
        }

        act(engine);
        return await StatusAfterAsync(engine, symbol, done, cancellationToken);
    }

    // The symbol's status once its loop has applied the change (or, if it is busy, as it is after a short wait).
    private static async Task<IResult> StatusAfterAsync(NaiveStrategyEngine engine, string symbol, Func<SymbolStatus, bool> done, CancellationToken cancellationToken)
    {
        // A wall-clock bound on waiting (the engine's TimeProvider may be market time).
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var status = engine.GetState(symbol)?.Status ?? SymbolStatus.Off;
        while (!done(status) && waited.Elapsed < Settle)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, cancellationToken);
            status = engine.GetState(symbol)?.Status ?? SymbolStatus.Off;
        }

        return Json(new StatusView(symbol, status));
    }

    private static async Task<IResult> PatchSettingsAsync(string symbol, HttpRequest request, NaiveStrategyEngine engine, CancellationToken cancellationToken)
    {
        var name = Normalize(symbol);
        if (engine.GetSettings(name) is not { } current)
        {
            return Unknown(symbol);
        }

        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            body = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"the body is not JSON: {ex.Message}"] }, detail: "body: not JSON.");
        }

        var (settings, errors) = SettingsPatch.Apply(current, body);
        if (settings is null)
        {
            return Results.ValidationProblem(errors, detail: string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")), title: "Invalid settings");
        }

        if (engine.GetState(name) is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not started", detail: $"{name} has never been started: start it first, then change its settings.");
        }

        // The symbol's loop applies it before its next input and saves it in the store with the state.
        engine.UpdateSettings(settings);
        return Json(SettingsView.Of(settings));
    }
}
