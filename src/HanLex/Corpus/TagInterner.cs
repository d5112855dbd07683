namespace HanLex.Corpus;

/// <summary>
/// Shares one string per tag spelling within one reader, so a corpus of a million words holds a few dozen tag
/// strings. Tags of up to four ASCII characters are keyed by their packed bits, which hashes faster than text.
/// Not thread-safe: each reader owns one.
/// </summary>
internal sealed class TagInterner
{
    private readonly Dictionary<ulong, string> _short = new();
    private readonly Dictionary<string, string> _long = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public TagInterner() => _lookup = _long.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<char> tag)
    {
        if (tag.Length <= 4)
        {
            ulong key = 0;
            foreach (char c in tag) key = key << 16 | c;
            if (_short.TryGetValue(key, out var s)) return s;
            var str = tag.ToString();
            if (_short.Count < 10_000) _short[key] = str; // a garbage file must not grow it without bound
            return str;
        }
        if (_lookup.TryGetValue(tag, out var l)) return l;
        var longTag = tag.ToString();
        if (_long.Count < 10_000) _long[longTag] = longTag;
        return longTag;
    }
}
