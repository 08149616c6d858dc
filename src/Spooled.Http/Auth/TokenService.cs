using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Spooled.Http.Hosting;

namespace Spooled.Http.Auth;

/// <summary>
/// HS256 access and refresh tokens (keyed by the UTF-8 bytes of the secret), issued and validated
/// by Microsoft.IdentityModel with the algorithm pinned, a numeric <c>exp</c>, 30 s of clock skew,
/// and the token type checked so a refresh token never passes as an access token. Logout revokes a
/// token's <c>jti</c> in memory until the token would have expired anyway.
/// </summary>
public sealed class TokenService
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SymmetricSecurityKey _key;
    private readonly SigningCredentials _signing;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);

    /// <summary>Creates the service for <paramref name="secret"/>.</summary>
    public TokenService(string secret, int accessHours, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret));
        if (_key.KeySize < 256)
        {
            // HS256 needs at least 256 bits of key; shorter secrets are stretched deterministically.
            _key = new SymmetricSecurityKey(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        }

        _signing = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256);
        AccessLifetime = TimeSpan.FromHours(accessHours);
        RefreshLifetime = AccessLifetime * 24;
        _time = time;
    }

    /// <summary>How long an access token lives.</summary>
    public TimeSpan AccessLifetime { get; }

    /// <summary>How long a refresh token lives (24 × the access lifetime, as in the reference).</summary>
    public TimeSpan RefreshLifetime { get; }

    /// <summary>Issues a token of <paramref name="type"/> (<c>access</c> or <c>refresh</c>).</summary>
    public string Issue(string type, string orgId, Guid apiKeyId, IReadOnlyList<string> queues)
    {
        var now = _time.GetUtcNow();
        var lifetime = type == "refresh" ? RefreshLifetime : AccessLifetime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = orgId,
            ["org_id"] = orgId,
            ["api_key_id"] = apiKeyId.ToString(),
            ["jti"] = Guid.NewGuid().ToString(),
            ["token_type"] = type,
            ["queues"] = Copy(queues),
        };
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime).UtcDateTime,
            SigningCredentials = _signing,
        });
    }

    /// <summary>Validates a token of the expected type; null when invalid, expired, revoked or of another type.</summary>
    public async Task<TokenClaims?> ValidateAsync(string token, string expectedType)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (notBefore, expires, _, parameters) => ValidLifetime(notBefore, expires, parameters.ClockSkew),
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return null;
        }

        if (!jwt.TryGetPayloadValue<string>("token_type", out var type) || type != expectedType
            || !jwt.TryGetPayloadValue<string>("org_id", out var org)
            || !jwt.TryGetPayloadValue<string>("api_key_id", out var keyText) || !Guid.TryParse(keyText, out var keyId)
            || !jwt.TryGetPayloadValue<string>("jti", out var jti)
            || _revoked.ContainsKey(jti))
        {
            return null;
        }

        var queues = new List<string>();
        foreach (var claim in jwt.Claims)
        {
            if (claim.Type == "queues")
            {
                queues.Add(claim.Value);
            }
        }

        return new TokenClaims(org, keyId, queues, jti, new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero), new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), type);
    }

    /// <summary>Revokes a token until its expiry.</summary>
    public void Revoke(TokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        _revoked[claims.Jti] = claims.ExpiresAt;
        var now = _time.GetUtcNow();
        foreach (var (jti, expires) in _revoked)
        {
            if (expires < now - TimeSpan.FromMinutes(1))
            {
                _revoked.TryRemove(jti, out _);
            }
        }
    }

    private static string[] Copy(IReadOnlyList<string> values)
    {
        var copy = new string[values.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = values[i];
        }

        return copy;
    }

    private bool ValidLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return expires is { } exp && now <= exp + skew && (notBefore is not { } nbf || now >= nbf - skew);
    }

    /// <summary>The secret from configuration, or one generated once and kept in the data directory.</summary>
    public static string LoadOrCreateSecret(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.JwtSecret is { Length: > 0 } configured)
        {
            return configured;
        }

        var path = Path.Combine(options.DataDir, "jwt-secret");
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        Directory.CreateDirectory(options.DataDir);
        var temporary = path + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // The secret signs every token.
        }

        using (var file = new FileStream(temporary, fileOptions))
        {
            file.Write(Encoding.UTF8.GetBytes(secret));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        return secret;
    }
}
