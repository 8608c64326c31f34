namespace NaiveStrategy.Binance.Tests;

public sealed class BinanceSignerTests
{
    private const string Passphrase = "test-passphrase";

    // RFC 8032 section 7.1: the private key (seed) as PKCS#8, the format Binance's key generator writes.
    private static string Rfc8032Pem(string seedHex) =>
        "-----BEGIN PRIVATE KEY-----\n" + Convert.ToBase64String(Convert.FromHexString("302e020100300506032b657004220420" + seedHex)) + "\n-----END PRIVATE KEY-----\n";

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Theory]
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "", "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "r", "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    public void Sign_Rfc8032Vectors_Base64OfTheRfcSignature(string seedHex, string message, string signatureHex)
    {
        using var signer = BinanceSigner.FromPem(Rfc8032Pem(seedHex), null, "test");

        signer.KeyType.Should().Be(BinanceKeyType.Ed25519);
        signer.Sign(message).Should().Be(Convert.ToBase64String(Convert.FromHexString(signatureHex)));
    }

    [Fact]
    public void Sign_Ed25519Payload_MatchesOpenSsl()
    {
        // printf 'apiKey=k&timestamp=1' | openssl pkeyutl -sign -rawin -inkey ed25519-rfc8032-test1.pem | base64
        using var signer = BinanceSigner.FromPem(Fixture("ed25519-rfc8032-test1.pem"), null, "test");

        signer.Sign("apiKey=k&timestamp=1").Should().Be("7kjo7ZaITOLjrShtHqlwd9ImLCTqFs6b05HYuBz+77sY9mD84LvrIHkyA2VLmrDRWjlDQwtV2XlTLXrBute/CQ==");
    }

    [Fact]
    public void Sign_EncryptedPkcs8WithPassphrase_SameSignatureAsPlainKey()
    {
        using var plain = BinanceSigner.FromPem(Fixture("ed25519-rfc8032-test1.pem"), null, "plain");
        using var encrypted = BinanceSigner.FromPem(Fixture("ed25519-rfc8032-test1.encrypted.pem"), Passphrase, "encrypted");

        encrypted.Sign("apiKey=k&timestamp=1").Should().Be(plain.Sign("apiKey=k&timestamp=1"));
    }

    [Fact]
    public void Sign_RsaPayload_MatchesOpenSsl()
    {
        // printf 'apiKey=k&timestamp=1' | openssl dgst -sha256 -sign rsa.pem | base64 -w0 (RSASSA-PKCS1-v1_5 is deterministic)
        using var signer = BinanceSigner.FromPem(Fixture("rsa.pem"), null, "test");

        signer.KeyType.Should().Be(BinanceKeyType.Rsa);
        signer.Sign("apiKey=k&timestamp=1").Should().Be(
            "qaBdSIBDLlF6ux3wY8sUsTgub4BWQsc9JBv+HjR2MnB3neEYvpk/ds7ygzhDLd1DPIZqGjVqHG13DNRG/4E4V3DS/nfL97BHZeIkWI40ScSUjHIQF5V/TG7Udf0rFmFIrQsnScIdDrXQ90mCEEofRQsXhdyQyV0GvALyMji99+Q6e6GElAzvA+RtNudZXzHThva6W94xmz8sod7Ct3byFZeu9Yvh7u4d23ruJOxeQ1HzwRpBBv8/0IR6cVDzqTqAClWs85xr5CtN8rVs2wx7r+jXWfYYevstM6Av+IQYWvsEAs18KrGfmWgCT751JNMXRWeJa8b3YEJNQhi7uHNhZg==");
    }

    [Fact]
    public void Sign_HmacSecret_BinanceDocumentedExample()
    {
        using var signer = BinanceSigner.Create(new BinanceExchangeOptions { SecretKey = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j" });

        signer.Sign("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559")
            .Should().Be("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
    }

    [Fact]
    public void FromPem_EncryptedWithoutPassphrase_ClearErrorWithoutKeyMaterial()
    {
        var pem = Fixture("ed25519-rfc8032-test1.encrypted.pem");

        var act = () => BinanceSigner.FromPem(pem, null, "PrivateKeyFile 'k.pem'");

        var error = act.Should().Throw<ArgumentException>().Which.Message;
        error.Should().Contain("PrivateKeyFile 'k.pem'").And.Contain("passphrase");
        error.Should().NotContain(pem.Split('\n')[1][..16]);
    }

    [Fact]
    public void FromPem_PublicKeyGiven_NamesTheProblem()
    {
        var act = () => BinanceSigner.FromPem(Fixture("rsa.pub.pem"), null, "PrivateKey");

        act.Should().Throw<ArgumentException>().WithMessage("PrivateKey is not an Ed25519 or RSA private key*");
    }

    [Fact]
    public void Validate_TwoKinds_Refused()
    {
        var result = new BinanceExchangeOptionsValidator().Validate(null, new BinanceExchangeOptions { ApiKey = "k", SecretKey = "s", PrivateKey = Fixture("rsa.pem") });

        result.Failures.Should().ContainSingle().Which.Should().Be("Set only one of SecretKey, PrivateKey and PrivateKeyFile.");
    }

    [Fact]
    public void Validate_MissingFile_NamesTheFile()
    {
        var result = new BinanceExchangeOptionsValidator().Validate(null, new BinanceExchangeOptions { ApiKey = "k", PrivateKeyFile = "/nonexistent/key.pem" });

        result.Failures.Should().ContainSingle().Which.Should().Be("PrivateKeyFile '/nonexistent/key.pem' cannot be read: DirectoryNotFoundException.");
    }

    [Fact]
    public void ApplyEnvironment_NoKeyConfigured_TakesFileAndPassphraseFromTheEnvironment()
    {
        var options = new BinanceExchangeOptions { ApiKey = "k" };
        var environment = new Dictionary<string, string>
        {
            [BinanceExchangeOptions.PrivateKeyFileVariable] = "/keys/ed.pem",
            [BinanceExchangeOptions.PrivateKeyPassphraseVariable] = "pw",
        };

        options.ApplyEnvironment(environment.GetValueOrDefault);

        (options.PrivateKeyFile, options.PrivateKeyPassphrase).Should().Be(("/keys/ed.pem", "pw"));
    }

    [Fact]
    public void ApplyEnvironment_SecretConfigured_KeepsIt()
    {
        var options = new BinanceExchangeOptions { ApiKey = "k", SecretKey = "s" };

        options.ApplyEnvironment(_ => "/keys/ed.pem");

        options.PrivateKeyFile.Should().BeNull();
    }

    [Fact]
    public void ToString_PrivateKeyAndPassphrase_NeverShown()
    {
        var pem = Fixture("rsa.pem");
        var text = new BinanceExchangeOptions { ApiKey = "abcdefgh", PrivateKey = pem, PrivateKeyPassphrase = "pw-secret" }.ToString();

        text.Should().NotContain(pem.Split('\n')[1][..16]).And.NotContain("pw-secret").And.Contain("private key ***");
    }
}
