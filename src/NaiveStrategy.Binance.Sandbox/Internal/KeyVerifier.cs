using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.OpenSsl;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>The three kinds of API key Binance issues.</summary>
internal enum KeyKind
{
    Hmac,
    Ed25519,
    Rsa,
}

/// <summary>
/// Checks a request's signature as Binance does for the kind of key registered: HMAC-SHA256 as hex (any case), Ed25519
/// and RSASSA-PKCS1-v1_5/SHA-256 as base64 (case matters). A signature of another kind, or not base64, does not match.
/// </summary>
internal abstract class KeyVerifier
{
    public abstract KeyKind Kind { get; }

    public abstract bool Matches(IReadOnlyList<string> payloads, string signature);

    public static KeyVerifier Of(SandboxApiKey key) =>
        key.PublicKeyPem is { Length: > 0 } pem ? FromPublicKeyPem(pem) : new Hmac(key.SecretKey);

    /// <summary>An Ed25519 or RSA public key from PEM (SubjectPublicKeyInfo); anything else is an <see cref="ArgumentException"/>.</summary>
    public static KeyVerifier FromPublicKeyPem(string pem)
    {
        object? key;
        try
        {
            using var reader = new StringReader(pem);
            key = new PemReader(reader).ReadObject();
        }
        catch (Exception ex) when (ex is PemException or IOException or ArgumentException or InvalidOperationException)
        {
            throw new ArgumentException("the public key is not readable PEM.", nameof(pem));
        }

        return key switch
        {
            Ed25519PublicKeyParameters ed => new Ed25519(ed),
            RsaKeyParameters { IsPrivate: false } => new Rsa(pem),
            _ => throw new ArgumentException("the public key is neither Ed25519 nor RSA (PEM 'PUBLIC KEY').", nameof(pem)),
        };
    }

    private static byte[]? Base64(string signature)
    {
        try
        {
            return Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed class Hmac(string secret) : KeyVerifier
    {
        public override KeyKind Kind => KeyKind.Hmac;

        public override bool Matches(IReadOnlyList<string> payloads, string signature) => Signature.Matches(secret, payloads, signature);
    }

    private sealed class Ed25519(Ed25519PublicKeyParameters key) : KeyVerifier
    {
        public override KeyKind Kind => KeyKind.Ed25519;

        public override bool Matches(IReadOnlyList<string> payloads, string signature)
        {
            if (Base64(signature) is not { Length: 64 } bytes)
            {
                return false;
            }

            foreach (var payload in payloads)
            {
                var verifier = new Ed25519Signer();
                verifier.Init(false, key);
                var data = Encoding.UTF8.GetBytes(payload);
                verifier.BlockUpdate(data, 0, data.Length);
                if (verifier.VerifySignature(bytes))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class Rsa : KeyVerifier
    {
        private readonly RSA _rsa = RSA.Create();

        public Rsa(string pem) => _rsa.ImportFromPem(pem);

        public override KeyKind Kind => KeyKind.Rsa;

        public override bool Matches(IReadOnlyList<string> payloads, string signature)
        {
            if (Base64(signature) is not { } bytes)
            {
                return false;
            }

            lock (_rsa)
            {
                return payloads.Any(p => _rsa.VerifyData(Encoding.UTF8.GetBytes(p), bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            }
        }
    }
}
