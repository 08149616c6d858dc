namespace Spooled.LoadGen;

/// <summary>
/// Undoes HTTP/1.1 chunked transfer coding (RFC 9112 §7.1) as bytes arrive, in any split: sizes in
/// hex with optional extensions, each chunk's data followed by CRLF, a zero-size chunk, trailer
/// lines and a blank line at the end. The SSE streams arrive this way; decoding by hand lets a
/// thousand subscribers read raw sockets instead of paying for a full HTTP client each.
/// </summary>
internal sealed class ChunkedDecoder
{
    private State _state = State.Size;
    private long _size;
    private bool _sizeSeen;
    private long _remaining;
    private bool _lineEmpty = true;

    private enum State
    {
        Size,
        Extension,
        Data,
        DataCr,
        DataLf,
        Trailer,
        Ended,
    }

    /// <summary>The last chunk and its trailer were read: the body is complete.</summary>
    public bool Ended => _state == State.Ended;

    /// <summary>
    /// Decodes all of <paramref name="input"/>, appending the body's bytes to <paramref name="output"/>
    /// (which must have room for at least <c>input.Length</c> bytes); returns how many it appended.
    /// Bytes after the end of the body are ignored. Throws <see cref="FormatException"/> on bad framing.
    /// </summary>
    public int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var written = 0;
        var i = 0;
        while (i < input.Length && _state != State.Ended)
        {
            switch (_state)
            {
                case State.Data:
                    var take = (int)Math.Min(_remaining, input.Length - i);
                    input.Slice(i, take).CopyTo(output[written..]);
                    written += take;
                    i += take;
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        _state = State.DataCr;
                    }

                    break;
                case State.Size:
                    SizeByte(input[i++]);
                    break;
                case State.Extension:
                    if (input[i++] == '\n')
                    {
                        EndSizeLine();
                    }

                    break;
                case State.DataCr:
                    _state = input[i++] == '\r' ? State.DataLf : throw new FormatException("chunk data not followed by CRLF");
                    break;
                case State.DataLf:
                    _state = input[i++] == '\n' ? State.Size : throw new FormatException("chunk data not followed by CRLF");
                    break;
                case State.Trailer:
                    var b = input[i++];
                    if (b == '\n')
                    {
                        _state = _lineEmpty ? State.Ended : State.Trailer;
                        _lineEmpty = true;
                    }
                    else if (b != '\r')
                    {
                        _lineEmpty = false;
                    }

                    break;
            }
        }

        return written;
    }

    private void SizeByte(byte b)
    {
        var digit = b switch
        {
            >= (byte)'0' and <= (byte)'9' => b - '0',
            >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
            _ => -1,
        };
        if (digit >= 0)
        {
            _size = _size < 1L << 40 ? (_size * 16) + digit : throw new FormatException("chunk size too large");
            _sizeSeen = true;
        }
        else if (b == ';' && _sizeSeen)
        {
            _state = State.Extension;
        }
        else if (b == '\n' && _sizeSeen)
        {
            EndSizeLine();
        }
        else if (b != '\r')
        {
            throw new FormatException("bad chunk size line");
        }
    }

    private void EndSizeLine()
    {
        _state = _size == 0 ? State.Trailer : State.Data;
        _remaining = _size;
        _size = 0;
        _sizeSeen = false;
        _lineEmpty = true;
    }
}
