using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace HanLex.Corpus;

/// <summary>
/// Reads a stream line by line with strict decoding, so invalid bytes are reported with their line and column
/// instead of being replaced silently. Accepts LF or CRLF and skips a UTF-8 byte order mark.
/// The returned span is valid until the next call.
/// </summary>
public sealed class LineReader : IDisposable
{
    private readonly Stream _stream;
    private readonly Encoding? _encoding; // null: UTF-8 through the vectorized Utf8 decoder
    private readonly string _file;
    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(1 << 16);
    private char[] _chars = ArrayPool<char>.Shared.Rent(1 << 12);
    private int _start, _end;
    private bool _eof, _first = true;

    public LineReader(Stream stream, string file, Encoding? encoding = null)
    {
        _stream = stream;
        _file = file;
        _encoding = encoding is UTF8Encoding ? null : encoding;
    }

    /// <summary>1-based number of the line last returned.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Bytes consumed so far, for progress reporting.</summary>
    public long BytesRead { get; private set; }

    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        while (true)
        {
            int nl = _bytes.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                int at = _start;
                _start += nl + 1;
                BytesRead += nl + 1;
                line = Decode(at, nl);
                return true;
            }
            if (_eof)
            {
                if (_start < _end)
                {
                    int at = _start, n = _end - _start;
                    _start = _end;
                    BytesRead += n;
                    line = Decode(at, n);
                    return true;
                }
                line = default;
                return false;
            }
            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_bytes, _start, _bytes, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _bytes.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_bytes.Length * 2);
            Buffer.BlockCopy(_bytes, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = bigger;
        }
        int read = _stream.Read(_bytes, _end, _bytes.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
        if (_first && _end - _start >= 3 || _first && _eof)
        {
            _first = false;
            if (_end - _start >= 3 && _bytes[_start] == 0xEF && _bytes[_start + 1] == 0xBB && _bytes[_start + 2] == 0xBF)
            {
                _start += 3;
                BytesRead += 3;
            }
        }
    }

    private ReadOnlySpan<char> Decode(int start, int length)
    {
        LineNumber++;
        var bytes = _bytes.AsSpan(start, length);
        // CRs before the line end belong to it (CRLF, or CR CR LF from a second conversion), not to the text.
        while (bytes.Length > 0 && bytes[^1] == (byte)'\r') bytes = bytes[..^1];
        if (_chars.Length < bytes.Length)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = ArrayPool<char>.Shared.Rent(bytes.Length);
        }
        if (_encoding is null)
        {
            var status = Utf8.ToUtf16(bytes, _chars, out int consumed, out int written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
                throw new CorpusException(new CorpusDiagnostic(Severity.Error, _file, LineNumber, written + 1,
                    $"invalid UTF-8 byte 0x{bytes[consumed]:X2} (use --encoding gb18030 for GBK files)"));
            return _chars.AsSpan(0, written);
        }
        try
        {
            int n = _encoding.GetChars(bytes, _chars);
            return _chars.AsSpan(0, n);
        }
        catch (DecoderFallbackException e)
        {
            int column = e.Index > 0 ? _encoding.GetCharCount(bytes[..e.Index]) + 1 : 1;
            throw new CorpusException(new CorpusDiagnostic(Severity.Error, _file, LineNumber, column,
                $"invalid {_encoding.WebName} byte sequence"));
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        ArrayPool<byte>.Shared.Return(_bytes);
        ArrayPool<char>.Shared.Return(_chars);
        _bytes = [];
        _chars = [];
    }
}
