using System.Globalization;

namespace Spooled.Broker.Engine;

/// <summary>Field checks shared by the engine's operations; each failure names its field.</summary>
internal sealed class Validation
{
    public const int MaxPayloadBytes = 1024 * 1024;
    public const int MaxTagsBytes = 64 * 1024;
    public const int MaxNameLength = 100;

    private List<FieldError>? _errors;

    public bool Failed => _errors is not null;

    /// <summary>For a bulk item: its index, which prefixes field names (<c>jobs[3].priority</c>) only when an error is added.</summary>
    public int Item { get; set; } = -1;

    public void Add(string field, string message, string code = "range")
    {
        var name = Item < 0 ? field : string.Create(CultureInfo.InvariantCulture, $"jobs[{Item}].{field}");
        (_errors ??= []).Add(new FieldError(name, message, code));
    }

    /// <summary>Forgets the errors, to check the next item.</summary>
    public void Reset(int item)
    {
        _errors = null;
        Item = item;
    }

    /// <summary>The errors as one line, for a bulk item's result.</summary>
    public string Describe()
    {
        if (_errors is null)
        {
            return "invalid";
        }

        var parts = new string[_errors.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = _errors[i].Field + ": " + _errors[i].Message;
        }

        return string.Join("; ", parts);
    }

    public void ThrowIfFailed()
    {
        if (_errors is not null)
        {
            throw new BrokerException(BrokerErrorCode.Validation, "Validation failed", _errors);
        }
    }

    public void Range(string field, int? value, int min, int max, string label)
    {
        if (value is { } v && (v < min || v > max))
        {
            Add(field, string.Create(CultureInfo.InvariantCulture, $"{label} must be between {min} and {max}"));
        }
    }

    public void QueueName(string field, string? name)
    {
        if (!IsQueueName(name))
        {
            Add(field, "Queue name must be 1-100 characters: letters, digits, '-', '_' or '.', not starting with '.' or '-'", "queue_name");
        }
    }

    public void Text(string field, string? value, int min, int max, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, field + " is required", "required");
            }

            return;
        }

        if (value.Length < min || value.Length > max)
        {
            Add(field, string.Create(CultureInfo.InvariantCulture, $"{field} must be {min}-{max} characters"), "length");
        }
    }

    /// <summary>1..100 Unicode letters or digits, '-', '_' and '.', not starting with '.' or '-'.</summary>
    public static bool IsQueueName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name[0] is '.' or '-')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    public static BrokerException TooLarge(string field, int size, int limit) =>
        new(BrokerErrorCode.PayloadTooLarge, string.Create(CultureInfo.InvariantCulture, $"{field} is {size} bytes; the limit is {limit}"), [new FieldError(field, "too large", "size")]);
}
