using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;

namespace NaiveStrategy.Binance;

/// <summary>The kind of API key Binance issued: it decides how requests are signed.</summary>
internal enum BinanceKeyType
{
    /// <summary>A secret key: lowercase hex HMAC-SHA256.</summary>
    Hmac,

    /// <summary>An Ed25519 private key: base64 Ed25519 signature; the only kind that can <c>session.logon</c>.</summary>
    Ed25519,

    /// <summary>An RSA private key: base64 RSASSA-PKCS1-v1_5 over SHA-256.</summary>
    Rsa,
}

/// <summary>
/// Signs Binance requests with the key the options name. The key material stays inside (no property, no
/// <see cref="object.ToString"/> that shows it); a key that cannot be read is an <see cref="ArgumentException"/>
/// naming the file or option, never its content.
/// </summary>
internal abstract class BinanceSigner : IDisposable
{
    public abstract BinanceKeyType KeyType { get; }

    /// <summary>The signature of <paramref name="payload"/> as Binance expects the text (before any percent-encoding).</summary>
    public abstract string Sign(string payload);

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    /// <summary>Forgets the key material this signer holds.</summary>
    protected virtual void Release()
    {
    }

    public override string ToString() => $"{KeyType} signer";

    /// <summary>The signer of <paramref name="options"/>: its private key (text, else file) when given, else its secret.</summary>
    public static BinanceSigner Create(BinanceExchangeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.PrivateKey))
        {
            return FromPem(options.PrivateKey, options.PrivateKeyPassphrase, "PrivateKey");
        }

        if (!string.IsNullOrEmpty(options.PrivateKeyFile))
        {
            string pem;
            try
            {
                pem = File.ReadAllText(options.PrivateKeyFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"PrivateKeyFile '{options.PrivateKeyFile}' cannot be read: {ex.GetType().Name}.", nameof(options));
            }

            return FromPem(pem, options.PrivateKeyPassphrase, $"PrivateKeyFile '{options.PrivateKeyFile}'");
        }

        if (string.IsNullOrEmpty(options.SecretKey))
        {
            throw new ArgumentException("No key to sign with: set SecretKey, PrivateKey or PrivateKeyFile.", nameof(options));
        }

        return new HmacSigner(options.SecretKey);
    }

    /// <summary>An Ed25519 or RSA signer from a PEM private key (PKCS#8, encrypted PKCS#8 with <paramref name="passphrase"/>, or PKCS#1 RSA).</summary>
    public static BinanceSigner FromPem(string pem, string? passphrase, string source)
    {
        object? key;
        try
        {
            using var reader = new StringReader(pem);
            key = new PemReader(reader, passphrase is null ? null : new Passphrase(passphrase)).ReadObject();
        }
        catch (Exception ex) when (ex is PemException or IOException or InvalidCipherTextException or ArgumentException or InvalidOperationException or SecurityUtilityException or Org.BouncyCastle.OpenSsl.PasswordException)
        {
            // The library's message may quote the PEM's header but never its body; ours names only the source.
            throw new ArgumentException($"{source} is not a readable PEM private key{(passphrase is null ? " (a passphrase-protected key needs its passphrase)" : " or the passphrase is wrong")}.", nameof(pem));
        }

        return key switch
        {
            Ed25519PrivateKeyParameters ed => new Ed25519KeySigner(ed),
            AsymmetricCipherKeyPair { Private: Ed25519PrivateKeyParameters ed } => new Ed25519KeySigner(ed),
            RsaPrivateCrtKeyParameters rsa => new RsaSigner(rsa),
            AsymmetricCipherKeyPair { Private: RsaPrivateCrtKeyParameters rsa } => new RsaSigner(rsa),
            null => throw new ArgumentException($"{source} holds no PEM block.", nameof(pem)),
            _ => throw new ArgumentException($"{source} is not an Ed25519 or RSA private key (Binance takes only these and HMAC secrets).", nameof(pem)),
        };
    }

    private sealed class Passphrase(string value) : IPasswordFinder
    {
        public char[] GetPassword() => value.ToCharArray();
    }

    private sealed class HmacSigner(string secret) : BinanceSigner
    {
        private readonly byte[] _secret = Encoding.UTF8.GetBytes(secret);

        public override BinanceKeyType KeyType => BinanceKeyType.Hmac;

        public override string Sign(string payload) => Convert.ToHexStringLower(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(payload)));

        protected override void Release() => CryptographicOperations.ZeroMemory(_secret);
    }

    private sealed class Ed25519KeySigner(Ed25519PrivateKeyParameters key) : BinanceSigner
    {
        public override BinanceKeyType KeyType => BinanceKeyType.Ed25519;

        public override string Sign(string payload)
        {
            var signer = new Ed25519Signer();
            signer.Init(true, key);
            var bytes = Encoding.UTF8.GetBytes(payload);
            signer.BlockUpdate(bytes, 0, bytes.Length);
            return Convert.ToBase64String(signer.GenerateSignature());
        }
    }

    private sealed class RsaSigner : BinanceSigner
    {
        private readonly RSA _rsa;

        public RsaSigner(RsaPrivateCrtKeyParameters key)
        {
            _rsa = RSA.Create();
            _rsa.ImportParameters(DotNetUtilities.ToRSAParameters(key));
        }

        public override BinanceKeyType KeyType => BinanceKeyType.Rsa;

        public override string Sign(string payload) =>
            Convert.ToBase64String(_rsa.SignData(Encoding.UTF8.GetBytes(payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        protected override void Release() => _rsa.Dispose();
    }
}
