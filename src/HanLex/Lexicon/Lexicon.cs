using HanLex.Features;

namespace HanLex.Lexicon;

/// <summary>
/// A set of words looked up by span, for lexicon features: for each position, the longest word that begins there,
/// ends there and covers it. Immutable once built.
/// </summary>
public sealed class WordLexicon
{
    public const int MaxLength = 8;
    private readonly HashSet<string> _words;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public WordLexicon(IEnumerable<string> words)
    {
        _words = new HashSet<string>(words.Where(w => w.Length is >= 2 and <= MaxLength), StringComparer.Ordinal);
        _lookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _words.Count;
    public IEnumerable<string> Words => _words;

    public bool Contains(ReadOnlySpan<char> word) => _lookup.Contains(word);

    public void Match(ReadOnlySpan<char> text, Span<LexiconMatch> matches)
    {
        matches[..text.Length].Clear();
        for (int i = 0; i < text.Length; i++)
        {
            int max = Math.Min(MaxLength, text.Length - i);
            for (int len = max; len >= 2; len--)
            {
                if (!_lookup.Contains(text.Slice(i, len))) continue;
                byte l = (byte)len;
                if (matches[i].Begin < l) matches[i].Begin = l;
                int end = i + len - 1;
                if (matches[end].End < l) matches[end].End = l;
                for (int j = i + 1; j < end; j++) if (matches[j].Middle < l) matches[j].Middle = l;
            }
        }
    }
}
