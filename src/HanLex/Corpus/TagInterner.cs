namespace HanLex.Corpus;

/// <summary>
/// Shares one string per tag spelling within one reader, so a corpus of a million words holds a few dozen
/// tag strings. Not thread-safe: each reader owns one.
/// </summary>
internal sealed class TagInterner
{
    private readonly Dictionary<string, string> _tags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public TagInterner() => _lookup = _tags.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<char> tag)
    {
        if (_lookup.TryGetValue(tag, out var s)) return s;
        var str = tag.ToString();
        if (_tags.Count < 10_000) _tags[str] = str; // a garbage file must not grow it without bound
        return str;
    }
}
