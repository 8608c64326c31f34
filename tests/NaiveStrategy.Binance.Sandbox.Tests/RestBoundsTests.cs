using System.Net;
using System.Text;

namespace NaiveStrategy.Binance.Sandbox.Tests;

public sealed class RestBoundsTests
{
    [Theory]
    [InlineData("[null]")]
    [InlineData("[1]")]
    [InlineData("[[]]")]
    [InlineData("[\"\"]")]
    [InlineData("{\"a\":1}")]
    [InlineData("\"XRPUSDT\"")]
    [InlineData("[")]
    [InlineData("XRPUSDT")]
    [InlineData("[\"\\ud800\"]")]
    public async Task ExchangeInfo_MalformedSymbols_Returns400With1100(string symbols)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.Http.GetAsync("/api/v3/exchangeInfo?symbols=" + Uri.EscapeDataString(symbols));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var json = await SandboxHarness.JsonAsync(response);
        json.GetProperty("code").GetInt32().Should().Be(-1100);
        json.GetProperty("msg").GetString().Should().Contain("symbols");
    }

    [Fact]
    public async Task ExchangeInfo_SymbolListedTwice_Returns1151()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.Http.GetAsync("/api/v3/exchangeInfo?symbols=" + Uri.EscapeDataString("[\"XRPUSDT\",\"XRPUSDT\"]"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SandboxHarness.JsonAsync(response)).GetProperty("code").GetInt32().Should().Be(-1151);
    }

    [Theory]
    [InlineData("/api/v3/exchangeInfo?symbol=XRPUSDT&symbol=XRPUSDT")]
    [InlineData("/api/v3/time?a=1&a=2")]
    public async Task Query_ParameterTwice_Returns1101(string url)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.Http.GetAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SandboxHarness.JsonAsync(response)).GetProperty("code").GetInt32().Should().Be(-1101);
    }

    [Theory]
    [InlineData("symbol=XRPUSDT&orderId=abc", "orderId")]
    [InlineData("symbol=XRPUSDT&orderId=-1", "orderId")]
    [InlineData("symbol=XRPUSDT&limit=lots", "limit")]
    [InlineData("symbol=XRPUSDT&limit=99999999999", "limit")]
    public async Task MyTrades_MalformedNumber_Returns1100NamingIt(string query, string name)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (response, json) = await sandbox.SignedJsonAsync(HttpMethod.Get, "/api/v3/myTrades", query);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        json.GetProperty("code").GetInt32().Should().Be(-1100);
        json.GetProperty("msg").GetString().Should().Contain(name);
    }

    [Theory]
    [InlineData("99999999999999999999", "99999999999999999999")]
    [InlineData("79228162514264337593543950335", "2")]
    public async Task PlaceOrder_NotionalBeyondDecimal_Returns1013NotA500(string price, string quantity)
    {
        await using var sandbox = await SandboxHarness.StartAsync(o =>
        {
            o.Symbols.Clear();
            o.Symbols.Add(SymbolFilterPresets.XrpUsdt with { MaxPrice = 0, MaxQuantity = 0 });
        });

        var (response, json) = await sandbox.PlaceAsync("huge-1", price: price, quantity: quantity);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        json.GetProperty("code").GetInt32().Should().Be(-1013);
        sandbox.Server.Diagnostics.UnexpectedErrors.Should().Be(0);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1e5")]
    [InlineData("1,5")]
    public async Task PlaceOrder_PriceNotPositiveDecimal_Returns400(string price)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var (response, json) = await sandbox.PlaceAsync("p-1", price: price);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        json.GetProperty("code").GetInt32().Should().BeOneOf(-1100, -1013);
        sandbox.Server.Exchange.Orders.Should().BeEmpty();
    }

    [Fact]
    public async Task FormBody_OverOneMebibyte_Returns413Json()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var body = "symbol=XRPUSDT&junk=" + new string('x', 2 << 20);

        // Expect: 100-continue, as careful clients send a large body: the server refuses on the declared length, before
        // the body is sent. Without it the client may still be writing when the server answers and closes (a broken pipe).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v3/order") { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.ExpectContinue = true;
        var response = await sandbox.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await SandboxHarness.JsonAsync(response)).GetProperty("code").GetInt32().Should().Be(-1101);
    }

    [Fact]
    public async Task UnknownPath_WithQuotes_Returns404WithValidJson()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var response = await sandbox.Http.GetAsync("/api/v3/%22%5C");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await SandboxHarness.JsonAsync(response)).GetProperty("msg").GetString().Should().Contain("\"\\");
    }
}
