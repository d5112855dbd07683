namespace HanLex.Corpus;

/// <summary>A read-only stream that returns bytes already read for format detection, then the rest of the source.</summary>
internal sealed class PrefixedStream(byte[] prefix, int prefixLength, Stream rest) : Stream
{
    private int _pos;

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_pos < prefixLength)
        {
            int n = Math.Min(count, prefixLength - _pos);
            Buffer.BlockCopy(prefix, _pos, buffer, offset, n);
            _pos += n;
            return n;
        }
        return rest.Read(buffer, offset, count);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) rest.Dispose();
        base.Dispose(disposing);
    }
}
