using Spooled.Broker.Records;

namespace Spooled.Broker.State;

/// <content>Organization and API key records.</content>
internal sealed partial class BrokerState
{
    /// <summary>A key created with its organization, in the same record, so neither exists without the other.</summary>
    internal readonly record struct FirstKey(Guid Id, ApiKeyHash Hash, string Name, IReadOnlyList<string> Queues);

    public static void WriteOrganizationCreated(RecordBuffer buffer, long time, string id, string name, string slug, string plan, string? billingEmail, byte[] settings, FirstKey firstKey)
    {
        Begin(buffer, RecordType.OrganizationCreated, time);
        buffer.WriteString(id);
        buffer.WriteString(name);
        buffer.WriteString(slug);
        buffer.WriteString(plan);
        buffer.WriteString(billingEmail);
        buffer.WriteBytes(settings);
        WriteKeyBody(buffer, firstKey.Id, firstKey.Hash, firstKey.Name, firstKey.Queues, null, 0);
    }

    private void ApplyOrganizationCreated(ref RecordReader reader, long time)
    {
        var org = new OrgState(reader.ReadRequiredString(), time)
        {
            Name = reader.ReadRequiredString(),
            Slug = reader.ReadRequiredString(),
            PlanTier = reader.ReadRequiredString(),
            BillingEmail = reader.ReadString(),
            Settings = reader.ReadBytes() ?? throw new BrokerRecordException("organization settings are null"),
        };
        if (!Orgs.TryAdd(org.Id, org) || !OrgsBySlug.TryAdd(org.Slug, org))
        {
            throw new BrokerRecordException($"organization '{org.Id}' ({org.Slug}) is created twice");
        }

        ReadKeyBody(ref reader, org, time);
    }

    public static void WriteOrganizationUpdated(RecordBuffer buffer, long time, string id, OrganizationUpdate update)
    {
        Begin(buffer, RecordType.OrganizationUpdated, time);
        buffer.WriteString(id);
        buffer.WriteString(update.Name);
        buffer.WriteBool(update.BillingEmail is not null);
        buffer.WriteString(update.BillingEmail);
        buffer.WriteNullableBytes(update.Settings);
        buffer.WriteString(update.PlanTier);
    }

    private void ApplyOrganizationUpdated(ref RecordReader reader, long time)
    {
        var org = RequireOrg(reader.ReadRequiredString());
        var name = reader.ReadString();
        var setEmail = reader.ReadBool();
        var email = reader.ReadString();
        var settings = reader.ReadBytes();
        var plan = reader.ReadString();
        org.Name = name ?? org.Name;
        org.BillingEmail = setEmail ? email : org.BillingEmail;
        org.Settings = settings ?? org.Settings;
        org.PlanTier = plan ?? org.PlanTier;
        org.UpdatedAt = time;
    }

    public static void WriteOrganizationDeleted(RecordBuffer buffer, long time, string id)
    {
        Begin(buffer, RecordType.OrganizationDeleted, time);
        buffer.WriteString(id);
    }

    /// <summary>Deletes an organization with everything it holds (the engine refuses while work is active).</summary>
    private void ApplyOrganizationDeleted(ref RecordReader reader)
    {
        var org = RequireOrg(reader.ReadRequiredString());
        for (var i = 0; i < org.Jobs.Count; i++)
        {
            if (org.Jobs[i] is { } job)
            {
                Unplace(job);
                Jobs.Remove(job.Id);
            }
        }

        foreach (var key in org.ApiKeys)
        {
            ApiKeys.TryRemove(key.Id, out _);
            Identities.TryRemove(key.Hash, out _);
        }

        Orgs.Remove(org.Id);
        OrgsBySlug.Remove(org.Slug);
    }

    public static void WriteApiKeyCreated(RecordBuffer buffer, long time, string orgId, Guid id, ApiKeyHash hash, string name, IReadOnlyList<string> queues, int? rateLimit, long expiresAt)
    {
        Begin(buffer, RecordType.ApiKeyCreated, time);
        buffer.WriteString(orgId);
        WriteKeyBody(buffer, id, hash, name, queues, rateLimit, expiresAt);
    }

    private static void WriteKeyBody(RecordBuffer buffer, Guid id, ApiKeyHash hash, string name, IReadOnlyList<string> queues, int? rateLimit, long expiresAt)
    {
        buffer.WriteGuid(id);
        Span<byte> bytes = stackalloc byte[32];
        hash.WriteTo(bytes);
        buffer.WriteBytes(bytes);
        buffer.WriteString(name);
        WriteStrings(buffer, queues);
        buffer.WriteInt32(rateLimit ?? -1);
        buffer.WriteInt64(expiresAt);
    }

    private void ApplyApiKeyCreated(ref RecordReader reader, long time) => ReadKeyBody(ref reader, RequireOrg(reader.ReadRequiredString()), time);

    private void ReadKeyBody(ref RecordReader reader, OrgState org, long time)
    {
        var id = reader.ReadGuid();
        var hashBytes = reader.ReadBytes();
        if (hashBytes is not { Length: 32 })
        {
            throw new BrokerRecordException("an API key hash is not 32 bytes");
        }

        var key = new ApiKeyState(id, org, ApiKeyHash.FromBytes(hashBytes), time)
        {
            Name = reader.ReadRequiredString(),
            Queues = ReadStrings(ref reader),
        };
        var rate = reader.ReadInt32();
        key.RateLimit = rate < 0 ? null : rate;
        key.ExpiresAt = reader.ReadInt64();
        if (!ApiKeys.TryAdd(id, key))
        {
            throw new BrokerRecordException($"API key {id} is created twice");
        }

        org.ApiKeys.Add(key);
        Identities[key.Hash] = key;
    }

    public static void WriteApiKeyUpdated(RecordBuffer buffer, long time, Guid id, ApiKeyUpdate update)
    {
        Begin(buffer, RecordType.ApiKeyUpdated, time);
        buffer.WriteGuid(id);
        buffer.WriteString(update.Name);
        buffer.WriteBool(update.Queues is not null);
        if (update.Queues is not null)
        {
            WriteStrings(buffer, update.Queues);
        }

        buffer.WriteInt32(update.RateLimit ?? -1);
        buffer.WriteByte(update.IsActive switch { null => 2, true => 1, false => 0 });
    }

    /// <summary>Changes a key; its identity is replaced, so authentication on any thread sees the change at once.</summary>
    private void ApplyApiKeyUpdated(ref RecordReader reader)
    {
        var id = reader.ReadGuid();
        var key = ApiKeys.TryGetValue(id, out var found) ? found : throw new BrokerRecordException($"API key {id} does not exist");
        key.Name = reader.ReadString() ?? key.Name;
        if (reader.ReadBool())
        {
            key.Queues = ReadStrings(ref reader);
        }

        var rate = reader.ReadInt32();
        key.RateLimit = rate < 0 ? key.RateLimit : rate;
        var active = reader.ReadByte();
        if (active == 0)
        {
            key.IsActive = false;
        }
    }

    private static void WriteStrings(RecordBuffer buffer, IReadOnlyList<string> values)
    {
        buffer.WriteInt32(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            buffer.WriteString(values[i]);
        }
    }

    private static string[] ReadStrings(ref RecordReader reader)
    {
        var count = reader.ReadCount(4);
        var values = new string[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = reader.ReadRequiredString();
        }

        return values;
    }
}
