using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Certificates;

/// <summary>
/// The certificate signing keys: PKCS#8 PEM files named <c>{yyyyMMddHHmmss}-{suffix}.pem</c> (UTC creation
/// time, so every instance orders them alike) in one directory that every instance sees. The newest key
/// signs; when it is older than <see cref="CertificateOptions.KeyRotation"/> a new one is written (if the
/// directory is writable; a read-only mounted secret is rotated by its operator). A key stays published
/// until every certificate it may have signed has expired: its successor's creation plus the validity.
/// </summary>
internal sealed class CertificateKeyStore(IOptions<CertificateOptions> options, TimeProvider time, ILogger<CertificateKeyStore> logger)
{
    private static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<SigningKey> _keys = [];
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;

    private string Directory => options.Value.KeyDirectory!;

    /// <summary>The key that signs now, made when there is none or the newest is due for rotation; null when none can be had.</summary>
    public async Task<SigningKey?> GetActiveAsync(CancellationToken cancellationToken)
    {
        var keys = await GetKeysAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (keys.Count > 0 && now - keys[^1].CreatedAt < options.Value.KeyRotation)
        {
            return keys[^1];
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            keys = Load();
            if (keys.Count == 0 || now - keys[^1].CreatedAt >= options.Value.KeyRotation)
            {
                TryCreate(now);
                keys = Load();
            }

            return keys.Count > 0 ? keys[^1] : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The keys a verifier needs: every key whose certificates may not have expired yet.</summary>
    public async Task<IReadOnlyList<SigningKey>> GetPublishedAsync(CancellationToken cancellationToken)
    {
        var keys = await GetKeysAsync(cancellationToken);
        var now = time.GetUtcNow();
        return [.. keys.Where((key, i) => i == keys.Count - 1 || keys[i + 1].CreatedAt + options.Value.Validity > now)];
    }

    /// <summary>A published key by id; reloads the directory once when the id is new (another instance may have rotated).</summary>
    public async Task<SigningKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var found = (await GetPublishedAsync(cancellationToken)).FirstOrDefault(k => k.KeyId == keyId);
        if (found is null && time.GetUtcNow() - _loadedAt > TimeSpan.FromSeconds(2))
        {
            _loadedAt = DateTimeOffset.MinValue;
            found = (await GetPublishedAsync(cancellationToken)).FirstOrDefault(k => k.KeyId == keyId);
        }

        return found;
    }

    private async Task<IReadOnlyList<SigningKey>> GetKeysAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _loadedAt < ReloadInterval)
        {
            return _keys;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return time.GetUtcNow() - _loadedAt < ReloadInterval ? _keys : Load();
        }
        finally
        {
            _gate.Release();
        }
    }

    // Under _gate.
    private IReadOnlyList<SigningKey> Load()
    {
        var keys = new List<SigningKey>();
        if (System.IO.Directory.Exists(Directory))
        {
            foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.pem"))
            {
                var keyId = Path.GetFileNameWithoutExtension(path);
                var known = _keys.FirstOrDefault(k => k.KeyId == keyId);
                if (known is not null)
                {
                    keys.Add(known);
                    continue;
                }

                if (!TryParseCreated(keyId, out var created))
                {
                    logger.LogWarning("Certificate key file {File} is ignored: its name is not {{yyyyMMddHHmmss}}-{{suffix}}.pem.", path);
                    continue;
                }

                var key = ECDsa.Create();
                try
                {
                    key.ImportFromPem(File.ReadAllText(path));
                    if (key.KeySize != 256)
                    {
                        throw new CryptographicException("not a P-256 key");
                    }

                    keys.Add(new SigningKey(keyId, created, key));
                }
                catch (Exception e) when (e is CryptographicException or ArgumentException or IOException)
                {
                    key.Dispose();
                    logger.LogError("Certificate key file {File} is ignored: it is not a PKCS#8 P-256 private key ({Reason}).", path, e.Message);
                }
            }
        }

        keys.Sort((a, b) => string.CompareOrdinal(a.KeyId, b.KeyId));
        _keys = keys;
        _loadedAt = time.GetUtcNow();
        return keys;
    }

    private void TryCreate(DateTimeOffset now)
    {
        var keyId = now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var temporary = Path.Combine(Directory, "." + keyId + ".tmp");
            var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Note: the private key is readable by the gateway's user only.
                file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, file))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(key.ExportPkcs8PrivateKeyPem());
            }

            // The rename publishes the whole file at once; two instances rotating together make two keys, both published.
            File.Move(temporary, Path.Combine(Directory, keyId + ".pem"));
            logger.LogInformation("Certificate signing key {KeyId} created in {Directory}.", keyId, Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError("No certificate signing key could be written to {Directory} (Gateway:Certificates:KeyDirectory): {Reason}", Directory, e.Message);
        }
    }

    private static bool TryParseCreated(string keyId, out DateTimeOffset created)
    {
        created = default;
        if (keyId.Length is < 16 or > 64 || keyId[14] != '-' || !keyId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            || !DateTime.TryParseExact(keyId[..14], "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            return false;
        }

        created = new DateTimeOffset(utc, TimeSpan.Zero);
        return true;
    }
}
