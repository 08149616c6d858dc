using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Spooled.Http.Logging;

/// <summary>One category's logger for <see cref="JsonLineLoggerProvider"/>.</summary>
internal sealed class JsonLineLogger(string category, JsonLineLoggerProvider provider) : ILogger
{
    // Each thread formats into its own buffer and writer, reused line after line.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? s_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? s_json;

    [ThreadStatic]
    private static bool s_formatting;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => provider.Scopes?.Push(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        if (s_formatting)
        {
            // A value's ToString logged in turn: the thread's buffer is in use, so use a fresh one.
            var nested = new ArrayBufferWriter<byte>(1024);
            using var nestedJson = new Utf8JsonWriter(nested, new JsonWriterOptions { SkipValidation = true });
            Write(nestedJson, nested, logLevel, eventId, state, exception, formatter);
            return;
        }

        var buffer = s_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var json = s_json ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        json.Reset(buffer);
        s_formatting = true;
        try
        {
            Write(json, buffer, logLevel, eventId, state, exception, formatter);
        }
        finally
        {
            s_formatting = false;
        }

        if (buffer.Capacity > 64 * 1024)
        {
            s_buffer = null; // One huge line (an exception's text) must not pin its buffer to the thread.
            s_json = null;
        }
    }

    private void Write<TState>(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        json.WriteStartObject();
        Span<char> stamp = stackalloc char[24];
        provider.Time.GetUtcNow().UtcDateTime.TryFormat(stamp, out var stampLength, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        json.WriteString("Timestamp", stamp[..stampLength]);
        json.WriteNumber("EventId", eventId.Id);
        json.WriteString("LogLevel", LevelName(logLevel));
        json.WriteString("Category", category);
        json.WriteString("Message", formatter(state, exception));
        if (exception is not null)
        {
            json.WriteString("Exception", exception.ToString());
        }

        if (state is IReadOnlyList<KeyValuePair<string, object?>> properties)
        {
            json.WriteStartObject("State");
            for (var i = 0; i < properties.Count; i++)
            {
                WriteProperty(json, properties[i]);
            }

            json.WriteEndObject();
        }

        if (provider.Scopes is { } scopes)
        {
            json.WriteStartArray("Scopes");
            scopes.ForEachScope(static (scope, json) => WriteScope(json, scope), json);
            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.Flush();
        buffer.Write("\n"u8);
        provider.Writer.Write(buffer.WrittenSpan);
    }

    private static void WriteScope(Utf8JsonWriter json, object? scope)
    {
        if (scope is IReadOnlyList<KeyValuePair<string, object?>> items)
        {
            json.WriteStartObject();
            for (var i = 0; i < items.Count; i++)
            {
                WriteProperty(json, items[i]);
            }

            json.WriteEndObject();
        }
        else if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            json.WriteStartObject();
            foreach (var pair in pairs)
            {
                WriteProperty(json, pair);
            }

            json.WriteEndObject();
        }
        else
        {
            json.WriteStringValue(Convert.ToString(scope, CultureInfo.InvariantCulture));
        }
    }

    private static void WriteProperty(Utf8JsonWriter json, KeyValuePair<string, object?> item)
    {
        switch (item.Value)
        {
            case null:
                json.WriteNull(item.Key);
                break;
            case bool value:
                json.WriteBoolean(item.Key, value);
                break;
            case int value:
                json.WriteNumber(item.Key, value);
                break;
            case long value:
                json.WriteNumber(item.Key, value);
                break;
            case double value when double.IsFinite(value):
                json.WriteNumber(item.Key, value);
                break;
            default:
                json.WriteString(item.Key, Convert.ToString(item.Value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "Trace",
        LogLevel.Debug => "Debug",
        LogLevel.Information => "Information",
        LogLevel.Warning => "Warning",
        LogLevel.Error => "Error",
        _ => "Critical",
    };
}
