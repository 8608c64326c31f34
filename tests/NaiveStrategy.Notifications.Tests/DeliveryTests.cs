using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace NaiveStrategy.Notifications.Tests;

public sealed partial class DeliveryTests
{
    private static Task Until(Func<bool> condition) => Wait.UntilAsync(condition, "the notification's delivery", TimeSpan.FromSeconds(30));

    private static JsonElement Json(Received r) => JsonDocument.Parse(r.Body).RootElement;

    private static string[] Names(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];

    private static void Fast(NaiveStrategyNotificationOptions o)
    {
        o.RetryDelay = TimeSpan.FromMilliseconds(5);
        o.MaxRetryDelay = TimeSpan.FromMilliseconds(50);
        o.MaxPerMinute = 1000;
    }

    [Theory]
    [InlineData(WebhookFormat.Slack, "text")]
    [InlineData(WebhookFormat.Discord, "content")]
    public async Task Webhook_ChatFormat_PostsTheTextInItsField(WebhookFormat format, string field)
    {
        await using var hook = await Imitation.StartAsync();
        await using var rig = Rig.Create(o => o.Webhooks.Add(new WebhookNotificationOptions { Name = "chat", UrlVariable = Secret.Set(hook.Address + "hook/secret"), Format = format, Events = NotificationEvents.Fills }));
        await rig.StartAsync();

        rig.Cycles(1);
        await hook.WaitForRequestsAsync(2);

        hook.Requests.Should().AllSatisfy(r => r.Path.Should().Be("/hook/secret"));
        var first = Json(hook.Requests[0]);
        Names(first).Should().Equal(field);
        first.GetProperty(field).GetString().Should().StartWith("XRPUSDT: BUY filled, 100 at 0.9999 (trader ");
        Json(hook.Requests[1]).GetProperty(field).GetString().Should().StartWith("XRPUSDT: SELL filled, 99 at 1.0029 (trader ");
    }

    [Fact]
    public async Task Webhook_Json_PostsKindSymbolTimeAndText()
    {
        await using var hook = await Imitation.StartAsync();
        await using var rig = Rig.Create(o => o.Webhooks.Add(new WebhookNotificationOptions { Name = "json", UrlVariable = Secret.Set(hook.Address + "hook"), Events = NotificationEvents.Cycles }));
        var finished = new List<DateTimeOffset>();
        using var _ = rig.Engine.Events.Subscribe(e =>
        {
            if (e.Event is TraderFinished)
            {
                finished.Add(e.Time);
            }
        });
        await rig.StartAsync();

        rig.Cycles(1);
        await hook.WaitForRequestsAsync(1);

        var body = Json(hook.Requests[0]);
        Names(body).Should().Equal("kind", "symbol", "time", "text");
        body.GetProperty("kind").GetString().Should().Be("cycle");
        body.GetProperty("symbol").GetString().Should().Be("XRPUSDT");
        body.GetProperty("time").GetDateTimeOffset().Should().Be(finished.Single());
        body.GetProperty("text").GetString().Should().MatchRegex("^XRPUSDT: trader .+ finished its cycle$");
    }

    [Fact]
    public async Task Webhook_EventFilter_SendsOnlyThoseKinds()
    {
        await using var fills = await Imitation.StartAsync();
        await using var cycles = await Imitation.StartAsync();
        await using var rig = Rig.Create(o =>
        {
            o.Webhooks.Add(new WebhookNotificationOptions { Name = "fills", UrlVariable = Secret.Set(fills.Address + "f"), Events = NotificationEvents.Fills });
            o.Webhooks.Add(new WebhookNotificationOptions { Name = "cycles", UrlVariable = Secret.Set(cycles.Address + "c"), Events = NotificationEvents.Cycles });
        });
        await rig.StartAsync();

        rig.Cycles(3);
        await fills.WaitForRequestsAsync(6);
        await cycles.WaitForRequestsAsync(3);
        await rig.Notifier.StopAsync();

        fills.Requests.Select(r => Json(r).GetProperty("kind").GetString()).Should().Equal(Enumerable.Repeat("fill", 6));
        cycles.Requests.Select(r => Json(r).GetProperty("kind").GetString()).Should().Equal(Enumerable.Repeat("cycle", 3));
    }

    [Fact]
    public async Task Telegram_SendMessage_ReachesTheChatWithTheTokenInThePath()
    {
        const string Token = "123456:TEST-token_abc";
        await using var api = await Imitation.StartAsync((_, context, body) =>
            context.Request.Path == $"/bot{Token}/sendMessage"
                ? Imitation.Answer(context, 200, """{"ok":true,"result":{"message_id":1}}""")
                : Imitation.Answer(context, 401, """{"ok":false,"error_code":401,"description":"Unauthorized"}"""));
        var logs = new CollectingLogs();
        await using var rig = Rig.Create(o => o.Telegram.Add(new TelegramNotificationOptions { TokenVariable = Secret.Set(Token), ChatId = "-1001234", ApiBase = api.Address, Events = NotificationEvents.Cycles }), logs);
        await rig.StartAsync();

        rig.Cycles(1);
        await Until(() => rig.Notifier.Delivered == 1);

        var body = Json(api.Requests.Single());
        body.GetProperty("chat_id").GetString().Should().Be("-1001234");
        body.GetProperty("text").GetString().Should().EndWith("finished its cycle");
        logs.Lines.Should().NotContain(l => l.Contains("TEST-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Telegram_TooManyRequests_IsTriedAgainAfterRetryAfter()
    {
        await using var api = await Imitation.StartAsync((n, context, _) =>
        {
            if (n == 1)
            {
                context.Response.Headers.RetryAfter = "1";
                return Imitation.Answer(context, 429, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}""");
            }

            return Imitation.Answer(context, 200, """{"ok":true,"result":{"message_id":2}}""");
        });
        await using var rig = Rig.Create(o =>
        {
            Fast(o);
            o.Telegram.Add(new TelegramNotificationOptions { TokenVariable = Secret.Set("1:A"), ChatId = "7", ApiBase = api.Address, Events = NotificationEvents.Cycles });
        });
        await rig.StartAsync();

        rig.Cycles(1);
        await Until(() => rig.Notifier.Delivered + rig.Notifier.Failed == 1);

        rig.Notifier.Delivered.Should().Be(1);
        api.Requests.Should().HaveCount(2).And.OnlyContain(r => r.Body == api.Requests[0].Body);
    }

    [Fact]
    public async Task Webhook_ServerErrors_AreTriedUpToMaxAttemptsAndNeverLogTheUrl()
    {
        await using var hook = await Imitation.StartAsync((_, context, _) => Imitation.Answer(context, 503, "{}"));
        var logs = new CollectingLogs();
        await using var rig = Rig.Create(
            o =>
            {
                Fast(o);
                o.MaxAttempts = 3;
                o.Webhooks.Add(new WebhookNotificationOptions { Name = "ops", UrlVariable = Secret.Set(hook.Address + "T0KEN-in-path"), Events = NotificationEvents.Cycles });
            },
            logs);
        await rig.StartAsync();

        rig.Cycles(1);
        await Until(() => rig.Notifier.Failed == 1);

        hook.Requests.Should().HaveCount(3);
        rig.Notifier.Delivered.Should().Be(0);
        logs.Lines.Should().Contain(l => l.Contains("ops answered ServiceUnavailable to a cycle notification after 3 attempt(s)", StringComparison.Ordinal));
        logs.Lines.Should().NotContain(l => l.Contains("T0KEN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Webhook_BadRequest_IsNotTriedAgain()
    {
        await using var hook = await Imitation.StartAsync((_, context, _) => Imitation.Answer(context, 400, "{}"));
        await using var rig = Rig.Create(o =>
        {
            Fast(o);
            o.Webhooks.Add(new WebhookNotificationOptions { Name = "ops", UrlVariable = Secret.Set(hook.Address + "h"), Events = NotificationEvents.Cycles });
        });
        await rig.StartAsync();

        rig.Cycles(1);
        await Until(() => rig.Notifier.Failed == 1);

        hook.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task Webhook_Unreachable_FailsWithoutTheUrlInLogs()
    {
        var gone = await Imitation.StartAsync();
        var url = gone.Address + "gone-S3CRET";
        await gone.DisposeAsync(); // nothing listens there any more
        var logs = new CollectingLogs();
        await using var rig = Rig.Create(
            o =>
            {
                Fast(o);
                o.MaxAttempts = 2;
                o.Webhooks.Add(new WebhookNotificationOptions { Name = "ops", UrlVariable = Secret.Set(url), Events = NotificationEvents.Cycles });
            },
            logs);
        await rig.StartAsync();

        rig.Cycles(1);
        await Until(() => rig.Notifier.Failed == 1);

        logs.Lines.Should().Contain(l => l.Contains("ops could not be reached for a cycle notification (ConnectionError)", StringComparison.Ordinal));
        logs.Lines.Should().NotContain(l => l.Contains("S3CRET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Webhook_MaxPerMinute_HoldsTheRestInTheQueue()
    {
        await using var hook = await Imitation.StartAsync();
        await using var rig = Rig.Create(o =>
        {
            Fast(o);
            o.MaxPerMinute = 2;
            o.Webhooks.Add(new WebhookNotificationOptions { Name = "ops", UrlVariable = Secret.Set(hook.Address + "h"), Events = NotificationEvents.Fills });
        });
        await rig.StartAsync();

        rig.Cycles(3); // 6 fills
        await rig.Engine.WaitUntilIdleAsync();
        var target = rig.Notifier.Targets.Single();
        await Until(() => rig.Notifier.Delivered == 2 && target.WaitingForRate == 1);

        hook.Requests.Should().HaveCount(2);
        rig.Notifier.Queued.Should().Be(3); // the third waits for a token, three more behind it
        rig.Notifier.Dropped.Should().Be(0);
    }

    [Fact]
    public async Task Engine_WebhookThatNeverAnswers_KeepsItsPaceAndDropsWhatDoesNotFit()
    {
        const int Capacity = 8;
        const int Rounds = 40;
        var expected = new List<string>();
        await using (var baseline = Rig.Create())
        {
            using var _ = baseline.Engine.Events.Subscribe(e => Record(expected, e));
            await baseline.StartAsync(notify: false);
            baseline.Cycles(Rounds);
            await baseline.Engine.WaitUntilIdleAsync();
        }

        expected.Count.Should().BeGreaterThan(Capacity * 10, "the run must give far more notifications than the queue holds");

        var release = new TaskCompletionSource();
        var hook = await Imitation.StartAsync(async (_, context, _) => await release.Task.WaitAsync(context.RequestAborted));
        try
        {
            var seen = new List<string>();
            await using var rig = Rig.Create(o =>
            {
                o.QueueCapacity = Capacity;
                o.MaxAttempts = 1;
                o.Timeout = TimeSpan.FromMinutes(10);
                o.MaxPerMinute = 1000;
                o.Webhooks.Add(new WebhookNotificationOptions { Name = "dead", UrlVariable = Secret.Set(hook.Address + "h"), Events = NotificationEvents.All & ~NotificationEvents.Readiness });
            });
            using var subscription = rig.Engine.Events.Subscribe(e => Record(seen, e));
            await rig.StartAsync();

            // The trades are published on the test's thread through the engine: were it held by the webhook, this would not end.
            await Task.Run(() => rig.Cycles(Rounds)).WaitAsync(TimeSpan.FromSeconds(60));
            await rig.Engine.WaitUntilIdleAsync();
            await hook.WaitForRequestsAsync(1);

            seen.Should().Equal(expected, "the engine did all it does without notifications");
            hook.Requests.Should().ContainSingle("the one request never answered holds the target's loop");
            var notifier = rig.Notifier;
            (notifier.Delivered, notifier.Failed).Should().Be((0, 0));
            // The loop may take its one notification before or after the queue first fills: a slot more or less.
            notifier.Queued.Should().BeInRange(Capacity - 1, Capacity);
            notifier.Dropped.Should().Be(expected.Count - notifier.Queued - 1, "every notification is sent, queued or dropped and counted");
        }
        finally
        {
            release.TrySetResult();
            await hook.DisposeAsync();
        }
    }

    private static void Record(List<string> into, StrategyEvent e)
    {
        if (NotificationProjection.Project(e) is { } n)
        {
            lock (into)
            {
                into.Add(TraderIds().Replace(n.Text, "ID-"));
            }
        }
    }

    // Trader ids begin with a prefix taken from the clock: two engines name the same traders differently.
    [GeneratedRegex("[a-z0-9]+-(?=XRPUSDT-)")]
    private static partial Regex TraderIds();
}
