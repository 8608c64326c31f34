using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace NaiveStrategy.Binance.Sandbox.Tests;

/// <summary>Ed25519 and RSA keys, and session authentication of the WebSocket API, as Binance documents them.</summary>
public sealed class SessionLogonTests
{
    private const string EdKey = "ed25519-api-key";
    private const string RsaKey = "rsa-api-key";

    // RFC 8032 section 7.1, test 1.
    private const string EdPublicPem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n";
    private static readonly Ed25519PrivateKeyParameters EdPrivate = new(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    private static readonly RSA Rsa = RSA.Create(2048);

    private static Task<SandboxHarness> StartAsync() => SandboxHarness.StartAsync(o =>
    {
        o.ApiKeys.Add(new SandboxApiKey(EdKey, string.Empty) { PublicKeyPem = EdPublicPem });
        o.ApiKeys.Add(new SandboxApiKey(RsaKey, string.Empty) { PublicKeyPem = Rsa.ExportSubjectPublicKeyInfoPem() });
    });

    private static string SignEd25519(string payload, Ed25519PrivateKeyParameters? key = null)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, key ?? EdPrivate);
        var bytes = Encoding.UTF8.GetBytes(payload);
        signer.BlockUpdate(bytes, 0, bytes.Length);
        return Convert.ToBase64String(signer.GenerateSignature());
    }

    private static string SignRsa(string payload) => Convert.ToBase64String(Rsa.SignData(Encoding.UTF8.GetBytes(payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    private static string Request(string id, string method, string apiKey, Func<string, string> sign, Dictionary<string, string>? extra = null)
    {
        var parameters = new SortedDictionary<string, string>(extra ?? [], StringComparer.Ordinal)
        {
            ["apiKey"] = apiKey,
            ["timestamp"] = SandboxHarness.Now.ToString(CultureInfo.InvariantCulture),
        };
        parameters["signature"] = sign(string.Join('&', parameters.Select(p => p.Key + "=" + p.Value)));
        return JsonSerializer.Serialize(new { id, method, @params = parameters });
    }

    private static async Task<JsonElement> AskAsync(ClientWebSocket socket, string json)
    {
        await SandboxHarness.SendAsync(socket, json);
        return await SandboxHarness.ReceiveAsync(socket);
    }

    [Fact]
    public async Task SessionLogon_Ed25519_LaterRequestsUnsignedAndSubscribe()
    {
        await using var sandbox = await StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);

        var logon = await AskAsync(socket, Request("1", "session.logon", EdKey, p => SignEd25519(p)));
        var account = await AskAsync(socket, JsonSerializer.Serialize(new { id = "2", method = "account.status", @params = new { timestamp = SandboxHarness.Now } }));
        var subscribe = await AskAsync(socket, "{\"id\":\"3\",\"method\":\"userDataStream.subscribe\"}");
        var status = await AskAsync(socket, "{\"id\":\"4\",\"method\":\"session.status\"}");

        logon.GetProperty("status").GetInt32().Should().Be(200, logon.ToString());
        logon.GetProperty("result").GetProperty("apiKey").GetString().Should().Be(EdKey);
        account.GetProperty("status").GetInt32().Should().Be(200, account.ToString());
        subscribe.GetProperty("result").GetProperty("subscriptionId").GetInt64().Should().BeGreaterThanOrEqualTo(0);
        status.GetProperty("result").GetProperty("userDataStream").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task SessionLogout_AfterLogon_ForgetsKeyAndEndsTheSessionSubscription()
    {
        await using var sandbox = await StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);
        await AskAsync(socket, Request("1", "session.logon", EdKey, p => SignEd25519(p)));
        await AskAsync(socket, "{\"id\":\"2\",\"method\":\"userDataStream.subscribe\"}");

        var logout = await AskAsync(socket, "{\"id\":\"3\",\"method\":\"session.logout\"}");
        var terminated = await SandboxHarness.ReceiveAsync(socket);
        var account = await AskAsync(socket, JsonSerializer.Serialize(new { id = "4", method = "account.status", @params = new { timestamp = SandboxHarness.Now } }));

        logout.GetProperty("result").GetProperty("apiKey").ValueKind.Should().Be(JsonValueKind.Null);
        logout.GetProperty("result").GetProperty("userDataStream").GetBoolean().Should().BeFalse();
        terminated.GetProperty("event").GetProperty("e").GetString().Should().Be("eventStreamTerminated", "the subscription the logout ended is told so, after the answer");
        account.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-2014, "without a session an unsigned request has no API key");
    }

    [Theory]
    [InlineData("hmac")]
    [InlineData("rsa")]
    public async Task SessionLogon_NotEd25519_Refused(string kind)
    {
        await using var sandbox = await StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);

        var logon = await AskAsync(socket, kind == "rsa"
            ? Request("1", "session.logon", RsaKey, SignRsa)
            : Request("1", "session.logon", SandboxHarness.ApiKey, p => SandboxHarness.Sign(p)));

        logon.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-4056);
    }

    [Fact]
    public async Task UserDataStreamSubscribe_WithoutLogon_Unauthorized()
    {
        await using var sandbox = await StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);

        var subscribe = await AskAsync(socket, "{\"id\":\"1\",\"method\":\"userDataStream.subscribe\"}");

        subscribe.GetProperty("status").GetInt32().Should().Be(401);
        subscribe.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-1002);
    }

    [Theory]
    [InlineData("ed25519-other-key")]
    [InlineData("ed25519-hex")]
    [InlineData("rsa-as-hmac")]
    [InlineData("rsa-lowercased")]
    public async Task Signed_WrongSignatureForTheKeyKind_Returns1022(string wrong)
    {
        await using var sandbox = await StartAsync();
        using var socket = await sandbox.ConnectAsync(sandbox.Server.WebSocketApiUrl);
        var other = new Ed25519PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom());

        var answer = await AskAsync(socket, wrong switch
        {
            "ed25519-other-key" => Request("1", "account.status", EdKey, p => SignEd25519(p, other)),
            "ed25519-hex" => Request("1", "account.status", EdKey, p => Convert.ToHexString(Convert.FromBase64String(SignEd25519(p)))),
            "rsa-as-hmac" => Request("1", "account.status", RsaKey, p => SandboxHarness.Sign(p)),
            _ => Request("1", "account.status", RsaKey, p => SignRsa(p).ToLowerInvariant()),
        });

        answer.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-1022, answer.ToString());
    }

    [Fact]
    public async Task Rest_Ed25519SignaturePercentEncoded_Accepted()
    {
        await using var sandbox = await StartAsync();
        var query = "omitZeroBalances=true&timestamp=" + SandboxHarness.Now.ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Get, sandbox.Server.RestBaseUrl + "/api/v3/account?" + query + "&signature=" + Uri.EscapeDataString(SignEd25519(query)));
        request.Headers.Add("X-MBX-APIKEY", EdKey);

        using var response = await sandbox.Http.SendAsync(request);

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void FromPublicKeyFile_NotAPublicKey_NamesTheFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a key");

            var act = () => SandboxApiKey.FromPublicKeyFile("k", path);

            act.Should().Throw<ArgumentException>().WithMessage($"public key file '{path}': *");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
