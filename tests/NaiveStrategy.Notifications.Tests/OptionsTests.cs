using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NaiveStrategy.Notifications.Tests;

public sealed class OptionsTests
{
    private static ValidateOptionsResult Validate(Action<NaiveStrategyNotificationOptions> configure)
    {
        var options = new NaiveStrategyNotificationOptions();
        configure(options);
        return new NaiveStrategyNotificationOptionsValidator().Validate(null, options);
    }

    [Fact]
    public void Validate_UnsetVariable_NamesTheVariable()
    {
        var variable = "NAIVE_TEST_UNSET_" + Guid.NewGuid().ToString("N");

        var result = Validate(o => o.Webhooks.Add(new WebhookNotificationOptions { Name = "ops", UrlVariable = variable }));

        result.Failures.Should().ContainSingle().Which.Should().Be($"Notifications: webhook ops: the environment variable {variable} is not set.");
    }

    [Fact]
    public void Validate_UrlNotHttp_NamesTheVariableNotItsValue()
    {
        var variable = Secret.Set("ftp://secret-path-4711");

        var result = Validate(o => o.Webhooks.Add(new WebhookNotificationOptions { Name = "ops", UrlVariable = variable }));

        result.FailureMessage.Should().Contain(variable).And.NotContain("secret-path-4711");
    }

    [Fact]
    public void Validate_TelegramWithoutChat_IsRefused()
    {
        var token = Secret.Set("123:ABC");

        var result = Validate(o => o.Telegram.Add(new TelegramNotificationOptions { TokenVariable = token }));

        result.Failures.Should().ContainSingle().Which.Should().Contain("ChatId is required");
    }

    [Theory]
    [InlineData(0, 20, 4)]
    [InlineData(10, 0, 4)]
    [InlineData(10, 20, 0)]
    public void Validate_NumbersOutOfRange_AreRefused(int capacity, int perMinute, int attempts) =>
        Validate(o => { o.QueueCapacity = capacity; o.MaxPerMinute = perMinute; o.MaxAttempts = attempts; }).Failed.Should().BeTrue();

    [Fact]
    public void Validate_SameNameTwice_IsRefused()
    {
        var url = Secret.Set("http://127.0.0.1:9/hook");

        var result = Validate(o =>
        {
            o.Webhooks.Add(new WebhookNotificationOptions { Name = "ops", UrlVariable = url });
            o.Webhooks.Add(new WebhookNotificationOptions { Name = "ops", UrlVariable = url });
        });

        result.Failures.Should().ContainSingle().Which.Should().Contain("'ops' is used twice");
    }

    [Fact]
    public void ToString_NeverShowsSecrets()
    {
        var options = new NaiveStrategyNotificationOptions();
        options.Webhooks.Add(new WebhookNotificationOptions { Name = "ops", UrlVariable = "NAIVE_SLACK_WEBHOOK_URL" });
        options.Telegram.Add(new TelegramNotificationOptions { ChatId = "42" });

        options.ToString().Should().Be("NaiveStrategyNotificationOptions (webhooks: ops; telegram: telegram)");
        options.Webhooks[0].ToString().Should().Be("webhook ops (Json, URL from NAIVE_SLACK_WEBHOOK_URL)");
        options.Telegram[0].ToString().Should().Be("telegram telegram (chat 42, token from NAIVE_TELEGRAM_TOKEN)");
    }

    [Fact]
    public async Task HostStart_VariableNotSet_FailsBeforeTheEngineStarts()
    {
        var variable = "NAIVE_TEST_UNSET_" + Guid.NewGuid().ToString("N");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddNaiveStrategy().AddMockExchange(_ => { }).AddNotifications(o => o.Webhooks.Add(new WebhookNotificationOptions { Name = "ops", UrlVariable = variable }));
        using var host = builder.Build();

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(variable);
    }

    [Fact]
    public async Task Host_Started_TellsTheEngineIsReady()
    {
        await using var hook = await Imitation.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddNaiveStrategy(o => o.Symbols.Add(new SymbolSettings { Symbol = "XRPUSDT" }))
            .AddMockExchange(o => o.Symbols.Add(new SymbolFilters { Symbol = "XRPUSDT", BaseAsset = "XRP", QuoteAsset = "USDT", TickSize = 0.0001m, StepSize = 1m, MinNotional = 1m }))
            .AddNotifications(o => o.Webhooks.Add(new WebhookNotificationOptions { Name = "ops", UrlVariable = Secret.Set(hook.Address + "h"), Format = WebhookFormat.Slack, Events = NotificationEvents.Readiness }));
        using var host = builder.Build();

        await host.StartAsync();
        await hook.WaitForRequestsAsync(2);
        await host.StopAsync(); // sends what is queued: the engine stopped

        var texts = hook.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("text").GetString()).ToArray();
        texts.Should().HaveCount(3);
        texts[0].Should().StartWith("engine not ready: starting");
        texts[1].Should().Be("engine ready");
        texts[2].Should().Be("engine not ready: stopped");
    }

    [Fact]
    public void Bind_Configuration_ReadsTargetsAndEventFlags()
    {
        var url = Secret.Set("https://hooks.example.invalid/services/T/B/x");
        var token = Secret.Set("1:A");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:0:Name"] = "ops",
            ["Webhooks:0:UrlVariable"] = url,
            ["Webhooks:0:Format"] = "Slack",
            ["Webhooks:0:Events"] = "Fills, Errors",
            ["Telegram:0:ChatId"] = "42",
            ["Telegram:0:TokenVariable"] = token,
            ["MaxPerMinute"] = "5",
        }).Build();
        var services = new ServiceCollection().AddNaiveStrategyNotifications(configuration);

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptionsMonitor<NaiveStrategyNotificationOptions>>().CurrentValue;

        options.Webhooks.Should().ContainSingle().Which.Should().BeEquivalentTo(new WebhookNotificationOptions { Name = "ops", UrlVariable = url, Format = WebhookFormat.Slack, Events = NotificationEvents.Fills | NotificationEvents.Errors });
        options.Telegram.Should().ContainSingle().Which.ChatId.Should().Be("42");
        options.MaxPerMinute.Should().Be(5);
    }

    [Fact]
    public void Bind_UnknownKey_IsRefused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["MaxPerMinutes"] = "5" }).Build();
        using var provider = new ServiceCollection().AddNaiveStrategyNotifications(configuration).BuildServiceProvider();

        var read = () => provider.GetRequiredService<IOptionsMonitor<NaiveStrategyNotificationOptions>>().CurrentValue;

        read.Should().Throw<InvalidOperationException>().WithMessage("*MaxPerMinutes*");
    }
}
