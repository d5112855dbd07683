using HanLex.Features;

namespace HanLex.Lexicon;

/// <summary>
/// A set of words for lexicon features: for each position, the longest word that begins there, ends there and
/// covers it. Words and their prefixes are kept as 64-bit rolling hashes, so matching extends a hash one character at
/// a time and stops as soon as no word continues: about two lookups per character, no strings. A word may carry a
/// word class (<see cref="Tagging.WordClasses"/>): joint segmentation models read the classes of the longest words
/// too. Immutable.
/// </summary>
public sealed class WordLexicon
{
    public const int MaxLength = 8;
    private const byte IsWord = 1, IsPrefix = 2, ClassShift = 2;

    /// <summary>Word classes are stored as id + 1 in six bits beside the flags: 0 is none.</summary>
    public const int MaxClasses = 63;
    private const ulong Prime = 0x100000001B3UL;
    private readonly string[] _words;
    private readonly byte[]? _classes; // per word: class id + 1, or 0
    private Dictionary<ulong, byte>? _prefixes; // built on first use: the compiled segmenter keeps its own

    public WordLexicon(IEnumerable<string> words)
    {
        _words = words.Where(w => w.Length is >= 2 and <= MaxLength).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>A lexicon whose words carry a class id (below <see cref="MaxClasses"/>); the other words none.</summary>
    public WordLexicon(IEnumerable<string> words, IReadOnlyDictionary<string, int> classes) : this(words)
    {
        _classes = new byte[_words.Length];
        for (int i = 0; i < _words.Length; i++)
        {
            if (!classes.TryGetValue(_words[i], out int c)) continue;
            if ((uint)c >= MaxClasses) throw new ArgumentOutOfRangeException(nameof(classes), $"class id {c} of '{_words[i]}' is not below {MaxClasses}");
            _classes[i] = (byte)(c + 1);
        }
    }

    private WordLexicon(string[] words, byte[]? classes)
    {
        _words = words;
        _classes = classes;
    }

    /// <summary>
    /// The lexicon of <paramref name="words"/> as a model file stores them (sorted, distinct, each of a length kept),
    /// taken as they are after one check of that order; anything else goes through the general constructor. Saves
    /// the set a model load would otherwise build to drop duplicates that are not there.
    /// </summary>
    /// <param name="classes">Per word, its class id + 1 (0: none), or null for a lexicon without classes.</param>
    internal static WordLexicon FromStored(string[] words, byte[]? classes = null)
    {
        if (classes is not null && classes.Length != words.Length) throw new InvalidDataException("one word class per lexicon word");
        for (int i = 0; i < words.Length; i++)
        {
            if (words[i].Length is < 2 or > MaxLength || i > 0 && string.CompareOrdinal(words[i - 1], words[i]) >= 0)
                return classes is null ? new WordLexicon((IEnumerable<string>)words) : new WordLexicon(words, ClassIds(words, classes));
            if (classes is not null && classes[i] > MaxClasses) throw new InvalidDataException($"word class {classes[i]} out of range");
        }
        return new WordLexicon(words, classes);
    }

    private static Dictionary<string, int> ClassIds(string[] words, byte[] classes)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++) if (classes[i] is > 0 and <= MaxClasses) ids[words[i]] = classes[i] - 1;
        return ids;
    }

    /// <summary>Whether the words carry classes (a joint segmentation model's lexicon).</summary>
    public bool HasClasses => _classes is not null;

    /// <summary>Per word of <see cref="Words"/>, in order: its class id + 1, or 0 for none. Empty without classes.</summary>
    public ReadOnlySpan<byte> StoredClasses => _classes;

    private Dictionary<ulong, byte> Prefixes
    {
        get
        {
            if (_prefixes is { } built) return built;
            Interlocked.CompareExchange(ref _prefixes, BuildPrefixes(_words, _classes), null);
            return _prefixes;
        }
    }

    private static Dictionary<ulong, byte> BuildPrefixes(string[] words, byte[]? classes)
    {
        var prefixes = new Dictionary<ulong, byte>();
        for (int w = 0; w < words.Length; w++)
        {
            var word = words[w];
            ulong h = Seed;
            for (int i = 0; i < word.Length; i++)
            {
                h = Step(h, word[i]);
                int flag = i == word.Length - 1 ? IsWord | (classes is null ? 0 : classes[w] << ClassShift) : IsPrefix;
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
                    byte wordClass = (byte)(flags >> ClassShift);
                    matches[i].Begin = l; // lengths grow, so the last match is the longest
                    matches[i].BeginClass = wordClass;
                    int end = i + len - 1;
                    if (matches[end].End < l)
                    {
                        matches[end].End = l;
                        matches[end].EndClass = wordClass;
                    }
                    for (int j = i + 1; j < end; j++) if (matches[j].Middle < l) matches[j].Middle = l;
                }
                if ((flags & IsPrefix) == 0) break;
            }
        }
    }
}
