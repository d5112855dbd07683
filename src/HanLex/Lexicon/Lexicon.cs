using HanLex.Features;

namespace HanLex.Lexicon;

/// <summary>
/// A set of words for lexicon features: for each position, the longest word that begins there, ends there and
/// covers it. Words and their prefixes are kept as 64-bit rolling hashes, so matching extends a hash one character at
/// a time and stops as soon as no word continues: about two lookups per character, no strings. Immutable.
/// </summary>
public sealed class WordLexicon
{
    public const int MaxLength = 8;
    private const byte IsWord = 1, IsPrefix = 2;
    private const ulong Prime = 0x100000001B3UL;
    private readonly string[] _words;
    private Dictionary<ulong, byte>? _prefixes; // built on first use: the compiled segmenter keeps its own

    public WordLexicon(IEnumerable<string> words)
    {
        _words = words.Where(w => w.Length is >= 2 and <= MaxLength).Distinct(StringComparer.Ordinal).ToArray();
    }

    private WordLexicon(string[] words) => _words = words;

    /// <summary>
    /// The lexicon of <paramref name="words"/> as a model file stores them (sorted, distinct, each of a length kept),
    /// taken as they are after one check of that order; anything else goes through the general constructor. Saves
    /// the set a model load would otherwise build to drop duplicates that are not there.
    /// </summary>
    internal static WordLexicon FromStored(string[] words)
    {
        for (int i = 0; i < words.Length; i++)
        {
            if (words[i].Length is < 2 or > MaxLength || i > 0 && string.CompareOrdinal(words[i - 1], words[i]) >= 0)
                return new WordLexicon((IEnumerable<string>)words);
        }
        return new WordLexicon(words);
    }

    private Dictionary<ulong, byte> Prefixes
    {
        get
        {
            if (_prefixes is { } built) return built;
            Interlocked.CompareExchange(ref _prefixes, BuildPrefixes(_words), null);
            return _prefixes;
        }
    }

    private static Dictionary<ulong, byte> BuildPrefixes(string[] words)
    {
        var prefixes = new Dictionary<ulong, byte>();
        foreach (var word in words)
        {
            ulong h = Seed;
            for (int i = 0; i < word.Length; i++)
            {
                h = Step(h, word[i]);
                byte flag = i == word.Length - 1 ? IsWord : IsPrefix;
                prefixes[h] = (byte)(prefixes.GetValueOrDefault(h) | flag);
            }
        }
        return prefixes;
    }

    internal const ulong Seed = 0xCBF29CE484222325UL;

    /// <summary>Extends the rolling hash of a prefix by one character.</summary>
    internal static ulong Step(ulong h, char c) => (h ^ c) * Prime;

    public int Count => _words.Length;
    public IEnumerable<string> Words => _words;

    /// <summary>Whether <paramref name="word"/> (normalized, two characters or more) is in the lexicon.</summary>
    public bool Contains(ReadOnlySpan<char> word)
    {
        if (word.Length is < 2 or > MaxLength) return false;
        ulong h = Seed;
        foreach (char c in word) h = Step(h, c);
        return Prefixes.TryGetValue(h, out byte flags) && (flags & IsWord) != 0;
    }

    public void Match(ReadOnlySpan<char> text, Span<LexiconMatch> matches)
    {
        matches[..text.Length].Clear();
        var prefixes = Prefixes;
        for (int i = 0; i < text.Length; i++)
        {
            ulong h = Seed;
            int max = Math.Min(MaxLength, text.Length - i);
            for (int len = 1; len <= max; len++)
            {
                h = Step(h, text[i + len - 1]);
                if (!prefixes.TryGetValue(h, out byte flags)) break;
                if ((flags & IsWord) != 0 && len >= 2)
                {
                    byte l = (byte)len;
                    matches[i].Begin = l; // lengths grow, so the last match is the longest
                    int end = i + len - 1;
                    if (matches[end].End < l) matches[end].End = l;
                    for (int j = i + 1; j < end; j++) if (matches[j].Middle < l) matches[j].Middle = l;
                }
                if ((flags & IsPrefix) == 0) break;
            }
        }
    }
}
